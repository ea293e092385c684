using System;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Input;
using StudioPS.Models;
using StudioPS.Waiting;

namespace StudioPS.Commands;

/// <summary>Builds the module's ErrorRecords: the right category, a stable id, the server's message, never the token.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// Runs one record's work and reports failures the PowerShell way: bad input stops the
    /// command (nothing was sent); a failed call is a non-terminating error for that record.
    /// </summary>
    public static void Guard(Cmdlet cmdlet, Action body, object? target)
    {
        try
        {
            body();
        }
        catch (StudioInputException error)
        {
            Terminate(cmdlet, FromInput(error, target));
        }
        catch (StudioApiException error)
        {
            Write(cmdlet, FromApi(error, target));
        }
        catch (ObjectDisposedException error) when (error.ObjectName == "StudioConnection")
        {
            Terminate(cmdlet, Create("ConnectionClosed", ErrorCategory.InvalidOperation,
                "This Studio connection was closed by Disconnect-Studio. Run Connect-Studio again, or pass an open connection to -Connection.", target, error));
        }
    }

    /// <summary>A job that ended FAILED or CANCELED as a non-terminating error, so -ErrorAction Stop fails a runbook; nothing for other statuses.</summary>
    public static void WriteOutcome(Cmdlet cmdlet, StudioJob job)
    {
        var failure = Outcomes.Of(job);
        if (failure != null)
            Write(cmdlet, Create(failure.Canceled ? "JobCanceled" : "JobFailed", ErrorCategory.OperationStopped, failure.Message, job, failure));
    }

    /// <summary>A pipeline that ended FAILED or CANCELED as a non-terminating error; nothing for other statuses.</summary>
    public static void WriteOutcome(Cmdlet cmdlet, StudioPipeline pipeline)
    {
        var failure = Outcomes.Of(pipeline);
        if (failure != null)
            Write(cmdlet, Create(failure.Canceled ? "PipelineCanceled" : "PipelineFailed", ErrorCategory.OperationStopped, failure.Message, pipeline, failure));
    }

    /// <summary>Writes a non-terminating error whose shown text passed <see cref="SafeText"/> (the cmdlet's redactor, control characters escaped).</summary>
    public static void Write(Cmdlet cmdlet, ErrorRecord record) => cmdlet.WriteError(SafeText.Clean(record, SafeText.RedactorOf(cmdlet)));

    /// <summary>Stops the command with an error whose shown text passed <see cref="SafeText"/>.</summary>
    public static void Terminate(Cmdlet cmdlet, ErrorRecord record) => cmdlet.ThrowTerminatingError(SafeText.Clean(record, SafeText.RedactorOf(cmdlet)));

    public static ErrorRecord WaitTimeout(string message, object target) =>
        Create("WaitTimeout", ErrorCategory.OperationTimeout, message, target);

    public static ErrorCategory CategoryOf(StudioErrorKind kind)
    {
        switch (kind)
        {
            case StudioErrorKind.BadRequest: return ErrorCategory.InvalidArgument;
            case StudioErrorKind.Unauthorized: return ErrorCategory.AuthenticationError;
            case StudioErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
            case StudioErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
            case StudioErrorKind.Conflict: return ErrorCategory.ResourceExists;
            case StudioErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
            case StudioErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
            case StudioErrorKind.Timeout: return ErrorCategory.OperationTimeout;
            case StudioErrorKind.ConnectionFailed: return ErrorCategory.ConnectionError;
            case StudioErrorKind.TlsFailure: return ErrorCategory.SecurityError;
            case StudioErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
            case StudioErrorKind.OperationFailed: return ErrorCategory.OperationStopped;
            default: return ErrorCategory.NotSpecified;
        }
    }

    public static ErrorRecord FromApi(StudioApiException error, object? target)
    {
        var record = new ErrorRecord(error, error.ErrorId, CategoryOf(error.Kind), target);
        if (error.Method != null && error.Path != null)
            record.CategoryInfo.Activity = error.Method + " " + error.Path;
        // Server text is shown with control characters escaped: an error must not rewrite the console.
        record.ErrorDetails = new ErrorDetails(StudioPS.Rendering.DisplayText.Escape(error.Message)) { RecommendedAction = Advice(error) };
        return record;
    }

    public static ErrorRecord FromInput(StudioInputException error, object? target)
    {
        var category = error.ErrorId == "TokenNotFound" ? ErrorCategory.AuthenticationError
            : error.NotFound ? ErrorCategory.ObjectNotFound
            : ErrorCategory.InvalidArgument;
        var record = new ErrorRecord(error, error.ErrorId, category, target);
        record.ErrorDetails = new ErrorDetails(StudioPS.Rendering.DisplayText.Escape(error.Message));
        return record;
    }

    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null)
    {
        message = StudioPS.Rendering.DisplayText.Escape(message);
        var record = new ErrorRecord(inner ?? new InvalidOperationException(message), errorId, category, target);
        record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    private static string? Advice(StudioApiException error)
    {
        switch (error.Kind)
        {
            case StudioErrorKind.Unauthorized:
                return "Check the token (-Token, DATACHAIN_STUDIO_TOKEN or the datachain config); 'datachain auth token' prints a valid one.";
            case StudioErrorKind.Forbidden:
                return "Check -Team and that the token's scopes allow this action.";
            case StudioErrorKind.RateLimited:
                return "Wait and try again, or make fewer calls.";
            case StudioErrorKind.ConnectionFailed:
            case StudioErrorKind.TlsFailure:
                return "Check -BaseUri (or DATACHAIN_STUDIO_URL) and the network path to Studio.";
            case StudioErrorKind.Timeout:
                return error.OutcomeUnknown
                    ? "The request may have been carried out: check its result before sending it again. Raise -TimeoutSec on Connect-Studio for slow calls."
                    : "Try again, or raise -TimeoutSec on Connect-Studio.";
            default:
                return error.OutcomeUnknown ? "The request may have been carried out: check its result before sending it again." : null;
        }
    }
}
