using System.Management.Automation;

namespace StudioPS.Commands;

/// <summary>The User-Agent every connection the module makes sends: <c>StudioPS/&lt;version&gt; PowerShell/&lt;edition&gt;-&lt;version&gt;</c>.</summary>
internal static class UserAgent
{
    private static string? _value;

    /// <summary>Built once, from $PSVersionTable of the first runspace that connects.</summary>
    public static string For(PSCmdlet cmdlet) =>
        _value ??= Build(cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") as System.Collections.IDictionary);

    /// <summary>The value once a cmdlet has built it; before that (an argument completer), the same from the assembly versions.</summary>
    public static string Current => _value ?? Build(null);

    private static string Build(System.Collections.IDictionary? versionTable)
    {
        var module = typeof(UserAgent).Assembly.GetName().Version;
        var moduleVersion = module == null ? "0.0.0" : $"{module.Major}.{module.Minor}.{module.Build}";
        var psVersion = versionTable?["PSVersion"]?.ToString() ?? typeof(PSObject).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var edition = versionTable?["PSEdition"]?.ToString() ?? "Core";
        return $"StudioPS/{moduleVersion} PowerShell/{edition}-{psVersion}";
    }
}
