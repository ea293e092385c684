using System.Runtime.CompilerServices;

namespace StudioPS.Http;

/// <summary>How the methods that move every byte of a download are compiled.</summary>
internal static class HotPath
{
    /// <summary>
    /// <c>MethodImplOptions.AggressiveOptimization</c> (.NET Core 3.0 and later; netstandard2.0 cannot name it, and
    /// .NET Framework ignores it): the method is compiled optimized at its first call, instead of running unoptimized,
    /// then instrumented, then compiled a third time in the middle of the first download of a fresh process.
    /// </summary>
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}
