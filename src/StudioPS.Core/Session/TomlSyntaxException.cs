using System;

namespace StudioPS.Session;

/// <summary>A config file is not the TOML it should be; <see cref="Line"/> says where.</summary>
internal sealed class TomlSyntaxException : FormatException
{
    public TomlSyntaxException(int line, string message) : base(message)
    {
        Line = line;
    }

    /// <summary>1-based line of the fault.</summary>
    public int Line { get; }
}
