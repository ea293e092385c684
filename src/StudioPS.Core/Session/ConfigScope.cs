namespace StudioPS.Session;

/// <summary>
/// A datachain config file a setting is saved to, as the official CLI names them: Global (the
/// user's, where <c>datachain auth login</c> writes) or Local (the project's <c>.datachain/config</c>,
/// its <c>--local</c>).
/// </summary>
public enum ConfigScope
{
    /// <summary>The user's own file: <c>$DATACHAIN_GLOBAL_CONFIG_DIR/config</c> or the platform's user config folder.</summary>
    Global,

    /// <summary>The project's file: <c>$DATACHAIN_DIR/config</c> or <c>.datachain/config</c> under <c>$DATACHAIN_ROOT_DIR</c> or the current folder.</summary>
    Local,
}
