namespace StudioPS.Client;

/// <summary>
/// Where a call's trace goes: one line per request and retry (verbose), headers and bodies with
/// the token redacted (debug). The module writes it to PowerShell's Verbose and Debug streams;
/// a .NET program may log it, or pass <see cref="StudioTrace.None"/>.
/// </summary>
public interface IStudioTrace
{
    /// <summary>Whether <see cref="Verbose"/> lines are wanted (they are not built otherwise).</summary>
    bool VerboseEnabled { get; }

    /// <summary>Whether <see cref="Debug"/> lines are wanted (they are not built otherwise).</summary>
    bool DebugEnabled { get; }

    /// <summary>A line about a request, its answer or a retry.</summary>
    void Verbose(string message);

    /// <summary>Headers and bodies, the token redacted.</summary>
    void Debug(string message);
}
