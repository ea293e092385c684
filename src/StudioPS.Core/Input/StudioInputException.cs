using System;

namespace StudioPS.Input;

/// <summary>
/// Bad input found before any request is sent: names the parameter, says how to fix it,
/// and carries a stable error id. The cmdlet layer turns it into an InvalidArgument ErrorRecord.
/// </summary>
public sealed class StudioInputException : ArgumentException
{
    private readonly string _text;

    /// <summary>Creates the exception for the parameter <paramref name="parameterName"/>.</summary>
    public StudioInputException(string errorId, string parameterName, string message, bool notFound = false)
        : base(message, parameterName)
    {
        _text = message;
        ErrorId = errorId;
        NotFound = notFound;
    }

    /// <summary>The text alone: it already names the parameter, so .NET's "(Parameter 'x')" suffix is left off.</summary>
    public override string Message => _text;

    /// <summary>A stable id for scripts, e.g. TeamRequired.</summary>
    public string ErrorId { get; }

    /// <summary>The input names something that does not exist (a missing file), not a malformed value.</summary>
    public bool NotFound { get; }
}
