using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Rendering;

namespace StudioPS.Commands;

/// <summary>
/// The last step before a text reaches a PowerShell stream: the connection's redactor (the token, any long
/// prefix of it, anything shaped like a token or an Authorization value) and then control characters escaped,
/// because warnings, verbose lines, progress and errors may quote a server or the user. Job log lines never
/// pass here: they are written as the job wrote them.
/// </summary>
internal static class SafeText
{
    /// <summary>The text redacted and with control characters escaped (line breaks kept when asked: verbose and debug lines).</summary>
    public static string Clean(string? text, Redactor? redactor, bool keepLineBreaks = false) =>
        DisplayText.Escape((redactor ?? Redactor.None).Redact(text), keepLineBreaks);

    /// <summary>The redactor of the cmdlet's connection when it has one; the token-shape rules otherwise.</summary>
    public static Redactor RedactorOf(Cmdlet cmdlet) => (cmdlet as StudioCmdlet)?.Redactor ?? Redactor.None;

    /// <summary>The record's shown message and recommended action, cleaned; the record itself is returned.</summary>
    public static ErrorRecord Clean(ErrorRecord record, Redactor? redactor)
    {
        var message = record.ErrorDetails?.Message;
        if (string.IsNullOrEmpty(message)) message = record.Exception?.Message;
        var advice = record.ErrorDetails?.RecommendedAction;
        record.ErrorDetails = new ErrorDetails(Clean(message, redactor))
        {
            RecommendedAction = advice == null ? null : Clean(advice, redactor),
        };
        return record;
    }

    /// <summary>The record's activity, status and operation, cleaned; the record itself is returned.</summary>
    public static ProgressRecord Clean(ProgressRecord record, Redactor? redactor)
    {
        record.Activity = Clean(record.Activity, redactor);
        record.StatusDescription = Clean(record.StatusDescription, redactor);
        if (record.CurrentOperation != null) record.CurrentOperation = Clean(record.CurrentOperation, redactor);
        return record;
    }
}
