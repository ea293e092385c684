namespace StudioPS.Emulator;

/// <summary>
/// An API error answered as JSON. Handlers throw it so each check reads as one line; the API middleware
/// turns it into the response. Field is "detail" for auth and routing errors (the server framework's
/// wording) and "message" for everything else (the API's own).
/// </summary>
public class ApiException(int status, string message, string field = "message", bool withOkFalse = false) : Exception(message)
{
    public int Status { get; } = status;
    public string Field { get; } = field;
    /// <summary>Pipeline endpoints answer {"ok": false, "message": ...}.</summary>
    public bool WithOkFalse { get; } = withOkFalse;
}
