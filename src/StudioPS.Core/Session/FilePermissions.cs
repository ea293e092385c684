using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace StudioPS.Session;

/// <summary>
/// Unix file modes without a newer target framework: .NET 7+ (every PowerShell 7 the module runs
/// on) has File.Get/SetUnixFileMode, found by reflection; Windows and older runtimes do nothing.
/// </summary>
internal static class FilePermissions
{
    /// <summary>Owner read and write only: what a file holding a token gets when the module creates it.</summary>
    public const int OwnerReadWrite = 0x180; // 0600

    private static readonly Type? ModeType = Type.GetType("System.IO.UnixFileMode", throwOnError: false);
    private static readonly MethodInfo? SetMode = ModeType == null ? null
        : typeof(File).GetMethod("SetUnixFileMode", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), ModeType }, null);
    private static readonly MethodInfo? GetMode = ModeType == null ? null
        : typeof(File).GetMethod("GetUnixFileMode", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);

    public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>The file's mode bits, or null where the platform has none.</summary>
    public static int? Get(string path)
    {
        if (!IsUnix || GetMode == null) return null;
        try
        {
            return Convert.ToInt32(GetMode.Invoke(null, new object[] { path }));
        }
        catch (TargetInvocationException error) when (error.InnerException != null)
        {
            throw error.InnerException;
        }
    }

    /// <summary>Sets the mode bits where the platform has them.</summary>
    public static void Set(string path, int mode)
    {
        if (!IsUnix || SetMode == null || ModeType == null) return;
        try
        {
            SetMode.Invoke(null, new object[] { path, Enum.ToObject(ModeType, mode) });
        }
        catch (TargetInvocationException error) when (error.InnerException != null)
        {
            throw error.InnerException;
        }
    }
}
