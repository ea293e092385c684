using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Completes <c>-Team</c> from what is known locally (the default connection, the environment,
/// the datachain config): instant, no network call, and never an error in the console.
/// </summary>
public sealed class TeamCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var teams = new List<string>();
        try
        {
            var connection = StudioSession.Default;
            if (connection?.Team != null) teams.Add(connection.Team);
            var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionSettings.TeamVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) teams.Add(fromEnvironment!.Trim());
            var config = DatachainConfig.Load(Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
            var fromConfig = config.Get("studio.team")?.Value;
            if (!string.IsNullOrWhiteSpace(fromConfig)) teams.Add(fromConfig!.Trim());
        }
        catch (Exception)
        {
            // Completion must never disturb the console; what was found so far is offered.
        }
        var pattern = CompletionSource.Pattern(wordToComplete);
        return teams.Distinct(StringComparer.Ordinal).Where(t => pattern.IsMatch(t))
            .Select(t => new CompletionResult(Quote(t), t, CompletionResultType.ParameterValue, t));
    }

    internal static string Quote(string value) =>
        value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '@', '#' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
}
