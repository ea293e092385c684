<#
Helpers shared by the Pester test files and build.ps1 -Task Demo.

- Start-TestEmulator / Stop-TestEmulator run src/StudioPS.Emulator as a child process on a free port.
- Get-EmulatorRequest, Clear-EmulatorRequest, Add-EmulatorFault, Clear-EmulatorFault, Set-EmulatorOption
  and Reset-Emulator drive the emulator's control API under /_emulator/.
- Enter-IsolatedStudioEnvironment / Exit-IsolatedStudioEnvironment keep a developer's own datachain
  settings (DATACHAIN_* variables, ~/.config/datachain/config) out of the tests.
- Invoke-ChildPowerShell runs a script in a fresh PowerShell process of the same version as this one.
#>
#Requires -Version 7.2
Set-StrictMode -Version Latest

$script:IsolationStack = [System.Collections.Generic.Stack[object]]::new()

# The datachain settings that name config folders; each gets a fresh empty folder while isolated.
$script:IsolatedConfigDirs = [ordered]@{
    DATACHAIN_GLOBAL_CONFIG_DIR = 'GlobalConfigDir'
    DATACHAIN_SYSTEM_CONFIG_DIR = 'SystemConfigDir'
    DATACHAIN_DIR               = 'DataChainDir'
    DATACHAIN_ROOT_DIR          = 'RootDir'
}

function Get-DotnetPath {
    # Under `dotnet pwsh` the host process is dotnet itself, which works even when dotnet is not on PATH.
    $processPath = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
        return $processPath
    }
    $command = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) {
        throw 'The dotnet command was not found on PATH; the emulator runs on the .NET SDK.'
    }
    return $command.Source
}

function Start-TestEmulator {
    <#
    .SYNOPSIS
    Starts the Studio emulator on a free port and returns its URL, tokens, team and process.
    .DESCRIPTION
    Runs `dotnet <emulator dll> --port 0 --parent-pid $PID --max-lifetime-sec 900`, so a test run that
    dies never leaves an emulator behind, and reads its start-up lines from standard output:
        Studio emulator listening on http://127.0.0.1:PORT
        Token: <token>
        ReadOnlyToken: <token>
        Team: <name>
        ControlToken: <token>   (sent by Invoke-EmulatorControl in X-Emulator-Control)
    -Settings is the emulator's settings file as a hashtable (snake_case keys: teams, tokens, clusters,
    datasets, speed); it is written to a temp file passed as --settings. -ArgumentList adds further
    emulator arguments, such as --team or --speed. Run-time switches go through Set-EmulatorOption.
    .EXAMPLE
    $emu = Start-TestEmulator -Settings @{ clusters = @(@{ id = 1; name = 'gpu'; max_workers = 4; default = $true }) }
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [hashtable] $Settings,

        [string[]] $ArgumentList = @(),

        [string] $EmulatorPath = $env:STUDIOPS_EMULATOR_PATH,

        [ValidateRange(1, 600)]
        [int] $StartupTimeoutSec = 30
    )

    if (-not $EmulatorPath) {
        throw 'Start-TestEmulator needs the emulator dll: set $env:STUDIOPS_EMULATOR_PATH or pass -EmulatorPath.'
    }
    if (-not (Test-Path -LiteralPath $EmulatorPath -PathType Leaf)) {
        throw "Start-TestEmulator: the emulator dll '$EmulatorPath' does not exist; build the solution first (./build.ps1)."
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new((Get-DotnetPath))
    $arguments = @((Resolve-Path -LiteralPath $EmulatorPath).ProviderPath,
        '--port', '0', '--parent-pid', [string]$PID, '--max-lifetime-sec', '900')
    # Uploads go to a folder this helper owns and Stop-TestEmulator deletes: the emulator's own default
    # folder survives a killed emulator (until a later one happens to clean it).
    $dataDir = $null
    if ($ArgumentList -notcontains '--data-dir') {
        $dataDir = Join-Path ([IO.Path]::GetTempPath()) ('studiops-emulator-data-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dataDir
        $arguments += '--data-dir', $dataDir
    }
    $settingsPath = $null
    if ($Settings) {
        $settingsPath = Join-Path ([IO.Path]::GetTempPath()) ('studiops-emulator-' + [guid]::NewGuid().ToString('N') + '.json')
        ConvertTo-Json -InputObject $Settings -Depth 20 | Set-Content -LiteralPath $settingsPath -Encoding utf8NoBOM
        $arguments += '--settings', $settingsPath
    }
    $arguments += $ArgumentList
    foreach ($argument in $arguments) {
        $startInfo.ArgumentList.Add([string]$argument)
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.Environment['DOTNET_NOLOGO'] = '1'

    $process = [System.Diagnostics.Process]::Start($startInfo)
    # Read standard error from the start: a full, unread pipe would block the emulator.
    $errorOutput = $process.StandardError.ReadToEndAsync()
    $seen = [System.Collections.Generic.List[string]]::new()
    $found = @{}
    $deadline = [DateTime]::UtcNow.AddSeconds($StartupTimeoutSec)
    try {
        while ($found.Count -lt 5) {
            $remaining = $deadline - [DateTime]::UtcNow
            $lineTask = $process.StandardOutput.ReadLineAsync()
            if ($remaining -le [TimeSpan]::Zero -or -not $lineTask.Wait($remaining)) {
                throw "the emulator did not print its start-up lines within $StartupTimeoutSec s"
            }
            $line = $lineTask.Result
            if ($null -eq $line) {
                throw 'the emulator exited before it printed its start-up lines'
            }
            $seen.Add($line)
            switch -Regex ($line) {
                '^Studio emulator listening on (http://127\.0\.0\.1:\d+)\s*$' { $found.Url = $Matches[1] }
                '^Token: (\S+)\s*$' { $found.Token = $Matches[1] }
                '^ReadOnlyToken: (\S+)\s*$' { $found.ReadOnlyToken = $Matches[1] }
                '^Team: (.+?)\s*$' { $found.Team = $Matches[1] }
                '^ControlToken: (\S+)\s*$' { $found.ControlToken = $Matches[1] }
            }
        }
    }
    catch {
        $reason = $_.Exception.Message
        Stop-EmulatorProcess -Process $process
        if ($dataDir) { Remove-Item -LiteralPath $dataDir -Recurse -Force -ErrorAction SilentlyContinue }
        $stderr = if ($errorOutput.Wait(2000)) { $errorOutput.Result.Trim() } else { '' }
        throw ("Start-TestEmulator: {0}.`nStandard output:`n{1}`nStandard error:`n{2}" -f
            $reason, ($seen -join "`n"), $stderr)
    }
    finally {
        # The emulator reads its settings before it listens, so the file is no longer needed either way.
        if ($settingsPath) {
            Remove-Item -LiteralPath $settingsPath -ErrorAction SilentlyContinue
        }
    }

    # Keep reading standard output so the emulator's own logging never fills the pipe.
    $null = $process.StandardOutput.BaseStream.CopyToAsync([System.IO.Stream]::Null)

    [pscustomobject]@{
        PSTypeName    = 'StudioPS.TestEmulator'
        Url           = $found.Url
        Token         = $found.Token
        ReadOnlyToken = $found.ReadOnlyToken
        Team          = $found.Team
        ControlToken  = $found.ControlToken
        Process       = $process
        DataDir       = $dataDir
    }
}

function Stop-EmulatorProcess {
    param([System.Diagnostics.Process] $Process)
    try {
        if (-not $Process.HasExited) {
            $Process.Kill($true)
        }
    }
    catch [System.InvalidOperationException] {
        # It exited between HasExited and Kill: nothing left to stop.
        $null = $_
    }
    if (-not $Process.WaitForExit(10000)) {
        throw "The emulator process $($Process.Id) did not exit within 10 s after it was killed."
    }
}

function Stop-TestEmulator {
    <#
    .SYNOPSIS
    Kills an emulator started by Start-TestEmulator and waits for it to exit. Safe to call twice.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
        [AllowNull()]
        [pscustomobject] $Emulator
    )
    process {
        if ($null -ne $Emulator) {
            Stop-EmulatorProcess -Process $Emulator.Process
            $dataDir = $Emulator.PSObject.Properties['DataDir']
            if ($dataDir -and $dataDir.Value) {
                Remove-Item -LiteralPath $dataDir.Value -Recurse -Force -ErrorAction SilentlyContinue
            }
        }
    }
}

function Invoke-EmulatorControl {
    param(
        [Parameter(Mandatory)] [pscustomobject] $Emulator,
        [Parameter(Mandatory)] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        [hashtable] $Body
    )
    $request = @{
        Uri        = '{0}/_emulator/{1}' -f $Emulator.Url.TrimEnd('/'), $Path
        Method     = $Method
        TimeoutSec = 30
        NoProxy    = $true
        # The control API answers only with the token the emulator printed at start.
        Headers    = @{ 'X-Emulator-Control' = $Emulator.ControlToken }
    }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = ConvertTo-Json -InputObject $Body -Depth 20 -Compress
        $request.ContentType = 'application/json'
    }
    Invoke-RestMethod @request
}

function Get-EmulatorRequest {
    <#
    .SYNOPSIS
    Returns the API requests the emulator has recorded, oldest first (GET /_emulator/requests).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    $response = Invoke-EmulatorControl -Emulator $Emulator -Method Get -Path 'requests'
    foreach ($item in $response) { $item }
}

function Get-EmulatorJob {
    <#
    .SYNOPSIS
    Returns every job the emulator holds, of every team (GET /_emulator/jobs).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    $response = Invoke-EmulatorControl -Emulator $Emulator -Method Get -Path 'jobs'
    foreach ($item in $response.jobs) { $item }
}

function Clear-EmulatorRequest {
    <#
    .SYNOPSIS
    Forgets the requests recorded so far (DELETE /_emulator/requests).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method Delete -Path 'requests'
}

function Add-EmulatorFault {
    <#
    .SYNOPSIS
    Adds a fault rule (POST /_emulator/faults with the hashtable as JSON) and returns the emulator's answer.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator,
        [Parameter(Mandatory, Position = 1)] [hashtable] $Fault
    )
    Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'faults' -Body $Fault
}

function Clear-EmulatorFault {
    <#
    .SYNOPSIS
    Removes every fault rule (DELETE /_emulator/faults).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method Delete -Path 'faults'
}

function Set-EmulatorOption {
    <#
    .SYNOPSIS
    Changes run-time options (POST /_emulator/options with the hashtable as JSON, for example
    @{ wrap_lists = $true; speed = 10 }) and returns the options now in force.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator,
        [Parameter(Mandatory, Position = 1)] [hashtable] $Option
    )
    Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'options' -Body $Option
}

function Set-EmulatorWebSocketFault {
    <#
    .SYNOPSIS
    Sets the websocket drop fault (POST /_emulator/ws-faults, for example @{ drop_every_ms = 1500 }), or
    removes it when no -Fault is given (DELETE /_emulator/ws-faults).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator,
        [Parameter(Position = 1)] [hashtable] $Fault
    )
    if ($Fault) { $null = Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'ws-faults' -Body $Fault }
    else { $null = Invoke-EmulatorControl -Emulator $Emulator -Method Delete -Path 'ws-faults' }
}

function Reset-Emulator {
    <#
    .SYNOPSIS
    Returns the emulator to its start-up state (POST /_emulator/reset).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'reset'
}

# ---- Device sign-in (Connect-Studio -UseDeviceCode) ----

function Get-EmulatorDeviceLogin {
    <#
    .SYNOPSIS
    Returns the device sign-ins the emulator has started (GET /_emulator/device-logins): user_code,
    token_name, scopes, expires_in_days, state (pending, approved, expired, consumed), polls.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    foreach ($item in (Invoke-EmulatorControl -Emulator $Emulator -Method Get -Path 'device-logins')) { $item }
}

function Set-EmulatorDeviceLogin {
    <#
    .SYNOPSIS
    Sets how new sign-ins are answered (POST /_emulator/device-logins/settings): -IntervalSec is sent as
    "interval" (the module honours it, so tests need not wait 5 s between polls), -ExpiresInSec as "expires_in".
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator,
        [double] $IntervalSec,
        [int] $ExpiresInSec
    )
    $body = @{}
    if ($PSBoundParameters.ContainsKey('IntervalSec')) { $body.interval = $IntervalSec }
    if ($PSBoundParameters.ContainsKey('ExpiresInSec')) { $body.expires_in = $ExpiresInSec }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'device-logins/settings' -Body $body
}

function Complete-EmulatorDeviceLogin {
    <#
    .SYNOPSIS
    Does what the person in the browser does: waits for a pending sign-in (the newest, or -UserCode) and
    approves it (POST /_emulator/device-logins/CODE/approve, answering {ok, token}) or, with -Expire,
    lets it expire. Run it in a thread job beside the Connect-Studio call it answers.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator,
        [string] $UserCode,
        [switch] $Expire,
        [string[]] $Teams,
        [ValidateRange(1, 600)] [int] $TimeoutSec = 60
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $pending = @(Get-EmulatorDeviceLogin $Emulator | Where-Object { $_.state -eq 'pending' -and (-not $UserCode -or $_.user_code -eq $UserCode) })
        if ($pending.Count -gt 0) { break }
        if ([DateTime]::UtcNow -gt $deadline) { throw "No pending device sign-in appeared within $TimeoutSec s." }
        Start-Sleep -Milliseconds 50
    }
    $code = $pending[-1].user_code
    if ($Expire) {
        $null = Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path "device-logins/$code/expire"
        return [pscustomobject]@{ UserCode = $code; Token = $null }
    }
    $body = if ($Teams) { @{ teams = $Teams } } else { @{} }
    $answer = Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path "device-logins/$code/approve" -Body $body
    [pscustomobject]@{ UserCode = $code; Token = $answer.token }
}

function Enter-IsolatedStudioEnvironment {
    <#
    .SYNOPSIS
    Saves and clears every DATACHAIN_* environment variable and points the datachain config folders at
    fresh empty temp folders, so a developer's own settings never reach a test. Returns the folders.
    .DESCRIPTION
    Calls nest: each Exit-IsolatedStudioEnvironment undoes the latest Enter-IsolatedStudioEnvironment.
    A test that needs a config file writes it to (Enter-IsolatedStudioEnvironment).GlobalConfigDir/config.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()

    $saved = @{}
    foreach ($variable in @(Get-ChildItem -Path Env: | Where-Object Name -like 'DATACHAIN_*')) {
        $saved[$variable.Name] = $variable.Value
        Remove-Item -LiteralPath "Env:$($variable.Name)"
    }

    $root = Join-Path ([IO.Path]::GetTempPath()) ('studiops-env-' + [guid]::NewGuid().ToString('N'))
    $folders = [ordered]@{ Root = $root }
    foreach ($name in $script:IsolatedConfigDirs.Keys) {
        $folder = Join-Path $root $script:IsolatedConfigDirs[$name]
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Item -LiteralPath "Env:$name" -Value $folder
        $folders[$script:IsolatedConfigDirs[$name]] = $folder
    }

    $script:IsolationStack.Push([pscustomobject]@{ Saved = $saved; Root = $root })
    [pscustomobject]$folders
}

function Exit-IsolatedStudioEnvironment {
    <#
    .SYNOPSIS
    Restores the DATACHAIN_* environment variables saved by the latest Enter-IsolatedStudioEnvironment
    and deletes its temp folders.
    #>
    [CmdletBinding()]
    param()

    if ($script:IsolationStack.Count -eq 0) {
        throw 'Exit-IsolatedStudioEnvironment was called without a matching Enter-IsolatedStudioEnvironment.'
    }
    $state = $script:IsolationStack.Pop()
    foreach ($variable in @(Get-ChildItem -Path Env: | Where-Object Name -like 'DATACHAIN_*')) {
        Remove-Item -LiteralPath "Env:$($variable.Name)"
    }
    foreach ($name in $state.Saved.Keys) {
        Set-Item -LiteralPath "Env:$name" -Value $state.Saved[$name]
    }
    Remove-Item -LiteralPath $state.Root -Recurse -Force -ErrorAction SilentlyContinue
}

function Invoke-ChildPowerShell {
    <#
    .SYNOPSIS
    Runs a script block's text or a script file in a fresh PowerShell process (same pwsh as this one,
    -NoProfile -NonInteractive) and returns its exit code and its output lines (errors included).
    .EXAMPLE
    $run = Invoke-ChildPowerShell -Command "Import-Module '$manifest'; (Get-Module StudioPS).Version"
    #>
    [CmdletBinding(DefaultParameterSetName = 'Command')]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Command', Position = 0)]
        [string] $Command,

        [Parameter(Mandatory, ParameterSetName = 'File')]
        [string] $File,

        [Parameter(ParameterSetName = 'File')]
        [string[]] $ArgumentList = @()
    )

    $processPath = [Environment]::ProcessPath
    # As a dotnet local tool, pwsh runs as `dotnet <PSHOME>/pwsh.dll`.
    $launcher = if ([IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
        @($processPath, (Join-Path $PSHOME 'pwsh.dll'))
    }
    else {
        @($processPath)
    }
    $arguments = @($launcher | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive')
    if ($PSCmdlet.ParameterSetName -eq 'Command') {
        $arguments += '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
    }
    else {
        $arguments += @('-File', $File) + $ArgumentList
    }

    $output = & $launcher[0] @arguments 2>&1 | ForEach-Object { "$_" }
    [pscustomobject]@{
        ExitCode = $LASTEXITCODE
        Output   = @($output)
    }
}

function Add-EmulatorDataset {
    <#
    .SYNOPSIS
    Adds a dataset with versions to the emulator's store (POST /_emulator/stored-datasets), for example
    @{ name = '@emulator.demo.big'; versions = @(@{ version = '1.0.0'; size = 4096; parts = 2 }) }.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator,
        [Parameter(Mandatory, Position = 1)] [hashtable] $Dataset
    )
    Invoke-EmulatorControl -Emulator $Emulator -Method Post -Path 'stored-datasets' -Body $Dataset
}

function Get-EmulatorExportPartRequest {
    <#
    .SYNOPSIS
    What reached the export parts host, and the bytes of parts it keeps: {requests, with_authorization, kept_bytes}
    (GET /_emulator/export-parts).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [pscustomobject] $Emulator)
    Invoke-EmulatorControl -Emulator $Emulator -Method Get -Path 'export-parts'
}

Export-ModuleMember -Function @(
    'Start-TestEmulator', 'Stop-TestEmulator'
    'Invoke-EmulatorControl'
    'Get-EmulatorRequest', 'Clear-EmulatorRequest', 'Get-EmulatorJob'
    'Add-EmulatorFault', 'Clear-EmulatorFault'
    'Set-EmulatorOption', 'Reset-Emulator'
    'Set-EmulatorWebSocketFault'
    'Enter-IsolatedStudioEnvironment', 'Exit-IsolatedStudioEnvironment'
    'Invoke-ChildPowerShell'
    'Get-EmulatorDeviceLogin', 'Set-EmulatorDeviceLogin', 'Complete-EmulatorDeviceLogin'
    'Add-EmulatorDataset', 'Get-EmulatorExportPartRequest'
)
