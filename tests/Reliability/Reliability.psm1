# The reliability properties of StudioPS, each measured against the emulator's fault injection.
# Every Test-* function returns [pscustomobject]@{ Name; Figure; Pass }; Invoke-ReliabilitySuite.ps1
# prints them as "reliability: <name> <figure> PASS|FAIL", and tests/Pester/Reliability.Tests.ps1 runs
# the same functions at small sizes inside the normal test command.

Set-StrictMode -Version Latest

function New-Result([string] $Name, [string] $Figure, [bool] $Pass) {
    [pscustomobject]@{ Name = $Name; Figure = $Figure; Pass = $Pass }
}

function Invoke-Control($Emulator, [string] $Method, [string] $Path, $Body) {
    $request = @{ Uri = '{0}/_emulator/{1}' -f $Emulator.Url.TrimEnd('/'), $Path; Method = $Method; NoProxy = $true; TimeoutSec = 30
        Headers = @{ 'X-Emulator-Control' = $Emulator.ControlToken } }
    if ($null -ne $Body) { $request.Body = ConvertTo-Json -InputObject $Body -Depth 10 -Compress; $request.ContentType = 'application/json' }
    # Invoke-RestMethod writes a JSON array as one object; unroll it so callers see its items.
    $response = Invoke-RestMethod @request
    if ($response -is [array]) { foreach ($item in $response) { $item } } else { $response }
}

function Get-ApiRequests($Emulator, [string] $Like = '/api/*') {
    @(Invoke-Control $Emulator Get 'requests' $null) | Where-Object { $null -ne $_ -and $_.path -like $Like }
}

function Add-Faults($Emulator, [hashtable[]] $Faults) {
    foreach ($fault in $Faults) { $null = Invoke-Control $Emulator Post 'faults' $fault }
}

function Get-FaultHits($Emulator) {
    $total = 0
    foreach ($fault in @(Invoke-Control $Emulator Get 'faults' $null) | Where-Object { $null -ne $_ }) {
        if ($fault.PSObject.Properties['hits']) { $total += [int]$fault.hits }
        elseif ($fault.PSObject.Properties['fired']) { $total += [int]$fault.fired }
    }
    $total
}

function Connect-Reliability($Emulator, [int] $TimeoutSec = 100, [int] $MaxRetries = 3) {
    Connect-Studio -Token $Emulator.Token -BaseUri $Emulator.Url -Team $Emulator.Team -TimeoutSec $TimeoutSec -MaxRetries $MaxRetries -PassThru
}

<#
.SYNOPSIS
Property 1: reads (clusters, jobs, pipelines) with 20% of requests failing transiently all succeed.
#>
function Test-ReadsUnderFaults {
    param($Emulator, [int] $Count = 1000)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $setup = Connect-Reliability $Emulator
    $null = New-StudioJob -Query "print('seed')" -Connection $setup
    $null = Invoke-StudioPipeline -Dataset '@emulator.demo.raw' -Connection $setup
    # Four kinds of transient failure, 5% each of all reads (each rule's fraction is of what the rules before it let through).
    Add-Faults $Emulator @(
        @{ method = 'GET'; path = '/api/datachain/*'; status = 503; fraction = 0.05; seed = 1 }
        @{ method = 'GET'; path = '/api/datachain/*'; status = 429; retry_after = '1'; fraction = 0.05 / 0.95; seed = 2 }
        @{ method = 'GET'; path = '/api/datachain/*'; abort = $true; fraction = 0.05 / 0.90; seed = 3 }
        @{ method = 'GET'; path = '/api/datachain/*'; delay_ms = 2000; fraction = 0.05 / 0.85; seed = 4 }
    )
    # A 1 s time-out against 2 s delays; enough retries that four failures in a row (p = 0.2^9) do not happen.
    $connection = Connect-Reliability $Emulator -TimeoutSec 1 -MaxRetries 8
    $failed = 0
    $firstError = $null
    try {
        for ($i = 0; $i -lt $Count; $i++) {
            try {
                switch ($i % 3) {
                    0 { $null = @(Get-StudioCluster -Connection $connection -ErrorAction Stop) }
                    1 { $null = @(Get-StudioJob -First 5 -Connection $connection -ErrorAction Stop) }
                    2 { $null = @(Get-StudioPipeline -First 5 -Connection $connection -ErrorAction Stop) }
                }
            }
            catch {
                $failed++
                if (-not $firstError) { $firstError = $_.Exception.Message }
            }
        }
        $hits = Get-FaultHits $Emulator
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    }
    $figure = "reads=$Count failed=$failed retries=$($connection.RetryCount) faults-injected=$hits" + $(if ($firstError) { " first-error='$firstError'" } else { '' })
    New-Result 'reads-under-faults' $figure ($failed -eq 0 -and $hits -gt 0)
}

<#
.SYNOPSIS
Property 2: job creations and cancels under faults before and after the server acts: no duplicate,
no silent loss. A failure may leave a job behind only when its error says the outcome is unknown.
#>
function Test-WritesUnderFaults {
    param($Emulator, [int] $Creates = 200, [int] $Cancels = 50)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $connection = Connect-Reliability $Emulator -TimeoutSec 1 -MaxRetries 3
    $create = '/api/datachain/jobs/'
    Add-Faults $Emulator @(
        @{ method = 'POST'; path = $create; status = 503; fraction = 0.05; seed = 11 }                          # refused: not retried, no job
        @{ method = 'POST'; path = $create; status = 429; retry_after = '1'; fraction = 0.05; seed = 12 }        # refused: retried
        @{ method = 'POST'; path = $create; status = 503; retry_after = '1'; fraction = 0.05; seed = 13 }        # refused: retried
        @{ method = 'POST'; path = $create; abort = $true; fraction = 0.05; seed = 14 }                          # reset before acting
        @{ method = 'POST'; path = $create; status = 500; when = 'after'; fraction = 0.05; seed = 15 }           # acted, then 500
        @{ method = 'POST'; path = $create; abort = $true; when = 'after'; fraction = 0.05; seed = 16 }          # acted, then reset
        @{ method = 'POST'; path = $create; delay_ms = 2000; fraction = 0.05; seed = 17 }                        # acts after the client gave up
    )
    $tag = 'rel-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $outcomes = @{}
    try {
        for ($i = 0; $i -lt $Creates; $i++) {
            $name = "$tag-$i"
            try {
                $job = New-StudioJob -Query "print('write $i')" -Name $name -Connection $connection -ErrorAction Stop
                $outcomes[$name] = [pscustomobject]@{ Reported = 'ok'; Id = $job.Id }
            }
            catch {
                $unknown = $_.Exception.PSObject.Properties['OutcomeUnknown'] -and $_.Exception.OutcomeUnknown
                $outcomes[$name] = [pscustomobject]@{ Reported = $(if ($unknown) { 'unknown' } else { 'failed' }); Id = $null }
            }
        }
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    }
    Start-Sleep -Seconds 3   # delayed requests finish on the server after the client timed out
    $jobs = @((Invoke-Control $Emulator Get 'jobs' $null).jobs | Where-Object { $_.name -like "$tag-*" })
    $byName = $jobs | Group-Object name -AsHashTable -AsString
    $duplicates = 0; $losses = 0; $phantoms = 0
    foreach ($name in $outcomes.Keys) {
        $held = if ($byName -and $byName.ContainsKey($name)) { @($byName[$name]).Count } else { 0 }
        if ($held -gt 1) { $duplicates++ }
        switch ($outcomes[$name].Reported) {
            'ok' { if ($held -ne 1) { $losses++ } }
            'failed' { if ($held -ne 0) { $phantoms++ } }
        }
    }
    $counts = $outcomes.Values | Group-Object Reported -AsHashTable -AsString
    $ok = if ($counts -and $counts.ContainsKey('ok')) { $counts['ok'].Count } else { 0 }
    $failedCount = if ($counts -and $counts.ContainsKey('failed')) { $counts['failed'].Count } else { 0 }
    $unknownCount = if ($counts -and $counts.ContainsKey('unknown')) { $counts['unknown'].Count } else { 0 }

    # Cancels: long jobs made without faults, then cancelled with faults before and after the server acts.
    $plain = Connect-Reliability $Emulator
    $targets = @(for ($i = 0; $i -lt $Cancels; $i++) { New-StudioJob -Query 'time.sleep(600)' -Name "$tag-c$i" -Connection $plain })
    Add-Faults $Emulator @(
        @{ method = 'POST'; path = '/api/datachain/jobs/*'; status = 503; fraction = 0.1; seed = 21 }
        @{ method = 'POST'; path = '/api/datachain/jobs/*'; status = 429; retry_after = '1'; fraction = 0.1; seed = 22 }
        @{ method = 'POST'; path = '/api/datachain/jobs/*'; status = 500; when = 'after'; fraction = 0.1; seed = 23 }
        @{ method = 'POST'; path = '/api/datachain/jobs/*'; abort = $true; when = 'after'; fraction = 0.1; seed = 24 }
    )
    $cancelReports = @{}
    try {
        foreach ($job in $targets) {
            try {
                Stop-StudioJob -Id $job.Id -Connection $connection -ErrorAction Stop
                $cancelReports[$job.Id] = 'ok'
            }
            catch {
                $unknown = $_.Exception.PSObject.Properties['OutcomeUnknown'] -and $_.Exception.OutcomeUnknown
                $cancelReports[$job.Id] = $(if ($unknown) { 'unknown' } else { 'failed' })
            }
        }
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    }
    $cancelLosses = 0
    foreach ($job in $targets) {
        $status = (Get-StudioJob -Id $job.Id -Connection $plain).Status
        $canceled = $status -in 'CANCELING', 'CANCELED'
        switch ($cancelReports[$job.Id]) {
            'ok' { if (-not $canceled) { $cancelLosses++ } }
            'failed' { if ($canceled) { $cancelLosses++ } }
        }
    }
    $null = $targets | Stop-StudioJob -Connection $plain -ErrorAction SilentlyContinue
    $figure = "creates=$Creates ok=$ok failed=$failedCount unknown=$unknownCount duplicates=$duplicates silent-losses=$($losses + $phantoms) " +
        "cancels=$Cancels cancel-losses=$cancelLosses"
    New-Result 'writes-under-faults' $figure ($duplicates -eq 0 -and $losses -eq 0 -and $phantoms -eq 0 -and $cancelLosses -eq 0 -and $ok -gt 0)
}

<#
.SYNOPSIS
Property 3: uploads whose connection is aborted (mid-body and before an answer) are an error each
time, and no file from a broken upload is left in state ready.
#>
function Test-UploadsUnderAbort {
    param($Emulator, [int] $Count = 10, [int] $SizeMiB = 8)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $connection = Connect-Reliability $Emulator
    $file = Join-Path ([IO.Path]::GetTempPath()) ("studiops-rel-upload-" + [guid]::NewGuid().ToString('N') + '.bin')
    $bytes = [byte[]]::new($SizeMiB * 1MB)
    [Random]::new(7).NextBytes($bytes)
    [IO.File]::WriteAllBytes($file, $bytes)
    $errors = 0
    $before = @(@(Invoke-Control $Emulator Get 'files' $null) | Where-Object { $null -ne $_ }).Count
    try {
        for ($i = 0; $i -lt $Count; $i++) {
            # Half are cut off while the body is arriving, half before any answer.
            $fault = if ($i % 2 -eq 0) { @{ method = 'POST'; path = '/api/datachain/jobs/files'; abort_after_bytes = [int]($SizeMiB * 1MB / 2); count = 1 } }
                     else { @{ method = 'POST'; path = '/api/datachain/jobs/files'; abort = $true; count = 1 } }
            Add-Faults $Emulator @($fault)
            try {
                $null = Send-StudioFile -LiteralPath $file -Connection $connection -ErrorAction Stop
            }
            catch {
                $errors++
            }
        }
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
    $files = @(@(Invoke-Control $Emulator Get 'files' $null) | Where-Object { $null -ne $_ })
    $new = @($files | Select-Object -Skip $before)
    $ready = @($new | Where-Object state -eq 'ready').Count
    $figure = "uploads=$Count errors=$errors ready-files-left=$ready"
    New-Result 'uploads-under-abort' $figure ($errors -eq $Count -and $ready -eq 0)
}

<#
.SYNOPSIS
Property 4: a cmdlet blocked on a silent server, a wait, a log follow, an upload and a dataset save waiting
for its parts ends within 1 s of PowerShell.Stop(), with no background work left running and, for the save,
no file or folder it made left behind.
#>
function Test-Cancellation {
    param($Emulator, [string] $ModulePath)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $plain = Connect-Reliability $Emulator
    $long = New-StudioJob -Query 'time.sleep(600)' -Name 'rel-cancel' -Connection $plain
    $file = Join-Path ([IO.Path]::GetTempPath()) ("studiops-rel-cancel-" + [guid]::NewGuid().ToString('N') + '.bin')
    $stream = [IO.File]::Create($file); $stream.SetLength(256MB); $stream.Dispose()
    $activeWork = [StudioPS.Commands.StudioCmdlet].GetProperty('ActiveWork', [Reflection.BindingFlags]'NonPublic,Static')
    # An export whose parts Studio writes ten minutes apart: the save waits on parts that answer 404.
    $null = Invoke-Control $Emulator Post 'stored-datasets' @{ name = '@rel.cancel.slow'; versions = @(@{ version = '1.0.0'; size = 400000; parts = 4; part_delay_ms = 600000 }) }
    $saveFolder = Join-Path ([IO.Path]::GetTempPath()) ('studiops-rel-save-' + [guid]::NewGuid().ToString('N'))
    $scenarios = [ordered]@{
        'silent-server' = @{ Fault = @{ method = 'GET'; path = '/api/datachain/clusters/'; delay_ms = 600000 }; Script = 'Get-StudioCluster -Connection $c' }
        'wait'          = @{ Fault = $null; Script = "Wait-StudioJob -Id '$($long.Id)' -PollIntervalSec 1 -Connection `$c" }
        'follow'        = @{ Fault = $null; Script = "Get-StudioJobLog -Id '$($long.Id)' -Follow -Connection `$c" }
        'upload'        = @{ Fault = @{ method = 'POST'; path = '/api/datachain/jobs/files'; delay_ms = 600000 }; Script = "Send-StudioFile -LiteralPath '$file' -Connection `$c" }
        # The folder is created by the save once the export has started; a stopped save leaves nothing it made.
        'save'          = @{ Fault = $null; Script = "Save-StudioDataset -Name '@rel.cancel.slow' -Version 1.0.0 -Path '$saveFolder' -Connection `$c"
            Left = { if (Test-Path -LiteralPath $saveFolder) { '(left ' + @(Get-ChildItem -LiteralPath $saveFolder -Force).Count + ' file(s) in its folder)' } } }
    }
    $parts = @()
    $pass = $true
    try {
        foreach ($name in $scenarios.Keys) {
            $scenario = $scenarios[$name]
            Invoke-Control $Emulator Delete 'faults' $null | Out-Null
            if ($scenario.Fault) { Add-Faults $Emulator @($scenario.Fault) }
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$ModulePath'; `$c = Connect-Studio -Token '$($Emulator.Token)' -BaseUri '$($Emulator.Url)' -Team '$($Emulator.Team)' -TimeoutSec 0 -PassThru -SkipValidation; `$ProgressPreference = 'SilentlyContinue'; $($scenario.Script)")
                $pending = $shell.BeginInvoke()
                # Let it block: first until the cmdlet's work has begun (the runspace's import and connect take
                # longer on a loaded machine, and a Stop then would not test the call), then into its call.
                $began = [DateTime]::UtcNow.AddSeconds(60)
                while ($activeWork.GetValue($null) -eq 0 -and -not $pending.IsCompleted -and [DateTime]::UtcNow -lt $began) { Start-Sleep -Milliseconds 20 }
                Start-Sleep -Milliseconds 500
                $blocked = -not $pending.IsCompleted
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $ended = $pending.AsyncWaitHandle.WaitOne(1000)
                $ms = $watch.ElapsedMilliseconds
                $left = $activeWork.GetValue($null)
                $deadline = [DateTime]::UtcNow.AddSeconds(1)
                while ($left -ne 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20; $left = $activeWork.GetValue($null) }
                $leftBehind = if ($scenario.ContainsKey('Left')) { & $scenario.Left } else { $null }
                $ok = $blocked -and $ended -and $ms -le 1000 -and $left -eq 0 -and -not $leftBehind
                if (-not $ok) { $pass = $false }
                $parts += "$name=${ms}ms" + $(if (-not $blocked) { '(not blocked)' } elseif ($left -ne 0) { "(work left=$left)" } elseif ($leftBehind) { $leftBehind } else { '' })
            }
            finally {
                $shell.Dispose()
            }
        }
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $saveFolder -Recurse -Force -ErrorAction SilentlyContinue
        Stop-StudioJob -Id $long.Id -Connection $plain -ErrorAction SilentlyContinue
    }
    New-Result 'cancellation' ($parts -join ' ') $pass
}

<#
.SYNOPSIS
Property 5: with -Verbose -Debug, failing calls and a transcript, the token and any prefix of it
longer than 8 characters appear nowhere.
#>
function Test-Secrets {
    param($Emulator)
    # Every command of a group runs, failing ones included: their errors are what is checked.
    $ErrorActionPreference = 'Continue'
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $token = $Emulator.Token
    $prefix = $token.Substring(0, 9)
    $work = Join-Path ([IO.Path]::GetTempPath()) ('studiops-rel-secrets-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $work
    $upload = Join-Path $work 'data.csv'; Set-Content -LiteralPath $upload -Value 'a,b'
    $transcript = Join-Path $work 'transcript.txt'
    $texts = [Collections.Generic.List[string]]::new()
    $calls = [Collections.Generic.List[int]]::new()
    $null = Start-Transcript -LiteralPath $transcript
    try {
        $run = {
            param([scriptblock] $Block)
            $calls.Add(1)
            try {
                $output = & $Block *>&1
                foreach ($item in $output) {
                    $texts.Add(($item | Out-String))
                    if ($item -is [Management.Automation.ErrorRecord]) {
                        $texts.Add(($item | Format-List * -Force | Out-String)); $texts.Add($item.Exception.ToString())
                    }
                }
            }
            catch {
                $texts.Add(($_ | Format-List * -Force | Out-String)); $texts.Add($_.Exception.ToString()); $texts.Add("$_")
            }
        }
        $v = @{ Verbose = $true; Debug = $true }
        & $run { Connect-Studio -Token $token -BaseUri $Emulator.Url -Team $Emulator.Team @v }
        & $run { Connect-Studio -Token ($token + 'x') -BaseUri $Emulator.Url -Team $Emulator.Team @v -ErrorAction Stop }
        & $run { Connect-Studio -Token $token -BaseUri $Emulator.Url -Team 'other-team' @v -ErrorAction Stop }
        & $run { Connect-Studio -Token $token -BaseUri 'http://studio.example.com' @v -ErrorAction Stop }
        & $run { Connect-Studio -Token $token -BaseUri $Emulator.Url -Team $Emulator.Team -AuthScheme Token @v }
        & $run { Get-StudioConnection @v | Format-List * | Out-String }
        & $run { Get-StudioConnection | ConvertTo-Json -Depth 3 }
        & $run { Get-StudioCluster @v; Get-StudioCluster -Name nosuch @v; Get-StudioCluster -Team other-team @v }
        & $run { $f = Send-StudioFile -Path $upload @v; $f; Send-StudioFile -Path (Join-Path $work 'missing.bin') @v }
        & $run { $j = New-StudioJob -Query "print('secret test')" -Wait @v; $j; Get-StudioJob -Id $j.Id @v; Get-StudioJobLog -Id $j.Id @v; Get-StudioJobLog -Id $j.Id -Follow @v }
        & $run { New-StudioJob -Query "raise ValueError('boom')" -Wait @v }
        & $run { New-StudioJob -Query 'x' -ClusterName nosuch @v }
        & $run { $j = New-StudioJob -Query 'time.sleep(60)' @v; Stop-StudioJob -Id $j.Id -Wait -PassThru @v; Wait-StudioJob -Id $j.Id @v }
        & $run { Get-StudioJob -First 3 -Status COMPLETE @v; Get-StudioJob -Id 'no-such-job' @v; Get-StudioJobLog -Id 'no-such-job' -Follow @v }
        & $run { $p = Invoke-StudioPipeline -Dataset '@emulator.demo.clean' -Review @v; $p | Show-StudioPipeline @v; $p | Show-StudioPipeline -As Dot
                 $p.JobRuns | Select-Object -First 1 | Remove-StudioPipelineJob -Pipeline $p.Name -Confirm:$false @v
                 Resume-StudioPipeline -Name $p.Name @v; Suspend-StudioPipeline -Name $p.Name @v; Resume-StudioPipeline -Name $p.Name @v
                 Wait-StudioPipeline -Name $p.Name -PollIntervalSec 1 @v; Get-StudioPipeline @v; Get-StudioPipeline -Name 'nope' @v }
        & $run { Invoke-StudioPipeline -Dataset '@emulator.demo.broken' -Wait -PollIntervalSec 1 @v }
        & $run { Add-Faults $Emulator @(@{ path = '/api/datachain/*'; status = 500; body = "{""detail"":""echo Bearer $token""}"; count = 5 }); Get-StudioCluster @v; Get-StudioJob -First 1 @v }
        & $run { Remove-StudioPipelineJob -Pipeline 'nope' -JobId 'x' -Confirm:$false @v; Disconnect-Studio @v }
        $texts.Add(($Error | ForEach-Object { ($_ | Format-List * -Force | Out-String) + $_.Exception.ToString() }) -join "`n")
    }
    finally {
        $null = Stop-Transcript
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    }
    $transcriptText = Get-Content -LiteralPath $transcript -Raw
    $all = ($texts -join "`n") + "`n" + $transcriptText
    $leaks = ([regex]::Matches($all, [regex]::Escape($prefix))).Count
    $traced = ([regex]::Matches($all, '(GET|POST) https?://\S+ -> \d{3}')).Count
    if ($env:STUDIOPS_RELIABILITY_DUMP) { Set-Content -LiteralPath $env:STUDIOPS_RELIABILITY_DUMP -Value $all }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    Connect-Studio -Token $token -BaseUri $Emulator.Url -Team $Emulator.Team
    $figure = "command-groups=$($calls.Count) text-checked=$([math]::Round($all.Length / 1KB))KiB traced-calls=$traced token-prefix-hits=$leaks"
    New-Result 'secrets' $figure ($leaks -eq 0 -and $traced -gt 20)
}

<#
.SYNOPSIS
Property 6: at least 40 bad inputs across the cmdlets: each an ErrorRecord with a fitting category, a
stable id and a message naming the parameter; none sends a request.
#>
function Get-BadInputCases {
    # The cases run in the caller's scope, which defines $Work, $folder, $locked and $badEnv.
    @(
        # Connections
        @{ Name = 'base URI with a path'; Run = { Connect-Studio -Token 'isat_x0000000000' -BaseUri 'https://studio.example/some/path' }; Id = 'InvalidBaseUri'; Param = 'BaseUri' }
        @{ Name = 'base URI with a query'; Run = { Connect-Studio -Token 'isat_x0000000000' -BaseUri 'https://studio.example/?a=1' }; Id = 'InvalidBaseUri'; Param = 'BaseUri' }
        @{ Name = 'base URI not http(s)'; Run = { Connect-Studio -Token 'isat_x0000000000' -BaseUri 'ftp://studio.example' }; Id = 'InvalidBaseUri'; Param = 'BaseUri' }
        @{ Name = 'http to a non-loopback host'; Run = { Connect-Studio -Token 'isat_x0000000000' -BaseUri 'http://studio.example' }; Id = 'UnencryptedAuthentication'; Param = 'BaseUri' }
        @{ Name = 'empty token'; Run = { Connect-Studio -Token '' -BaseUri 'https://studio.example' }; Id = 'EmptyToken'; Param = 'Token' }
        @{ Name = 'negative time-out'; Run = { Connect-Studio -TimeoutSec -1 }; Id = 'ParameterArgumentValidationError'; Param = 'TimeoutSec' }
        @{ Name = 'too many retries'; Run = { Connect-Studio -MaxRetries 99 }; Id = 'ParameterArgumentValidationError'; Param = 'MaxRetries' }
        @{ Name = 'unknown auth scheme'; Run = { Connect-Studio -AuthScheme Basic }; Id = 'ParameterArgumentValidationError'; Param = 'AuthScheme' }
        @{ Name = 'unknown team (not a team name)'; Run = { Get-StudioJob -Team 'acme/../other' }; Id = 'InvalidTeam'; Param = 'Team' }
        @{ Name = 'empty team'; Run = { Get-StudioCluster -Team '' }; Id = 'ParameterArgumentValidationError'; Param = 'Team' }
        # Clusters and jobs
        @{ Name = 'empty cluster name'; Run = { Get-StudioCluster -Name '' }; Id = 'ParameterArgumentValidationError'; Param = 'Name' }
        @{ Name = 'job id with a slash'; Run = { Get-StudioJob -Id 'a/b' }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = 'job id with a space'; Run = { Get-StudioJob -Id 'a b' }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = '-First 0'; Run = { Get-StudioJob -First 0 }; Id = 'ParameterArgumentValidationError'; Param = 'First' }
        @{ Name = 'status not a word'; Run = { Get-StudioJob -Status 'RUN NING' }; Id = 'InvalidStatus'; Param = 'Status' }
        @{ Name = 'empty query'; Run = { New-StudioJob -Query '' }; Id = 'EmptyQuery'; Param = 'Query' }
        @{ Name = 'whitespace query'; Run = { New-StudioJob -Query "  `n " }; Id = 'EmptyQuery'; Param = 'Query' }
        @{ Name = 'missing script'; Run = { New-StudioJob -Path (Join-Path $Work 'missing.py') }; Id = 'FileNotFound'; Param = 'Path' }
        @{ Name = 'folder as script'; Run = { New-StudioJob -Path $folder }; Id = 'PathIsDirectory'; Param = 'Path' }
        @{ Name = 'locked file to upload with the job'; Run = { New-StudioJob -Query 'x' -File $locked }; Id = 'FileNotReadable'; Param = 'File' }
        @{ Name = 'cluster name and id together'; Run = { New-StudioJob -Query 'x' -ClusterName a -ClusterId 1 }; Id = 'ClusterNameAndId'; Param = 'ClusterName' }
        @{ Name = 'priority 6'; Run = { New-StudioJob -Query 'x' -Priority 6 }; Id = 'ParameterArgumentValidationError'; Param = 'Priority' }
        @{ Name = 'priority -1'; Run = { New-StudioJob -Query 'x' -Priority -1 }; Id = 'ParameterArgumentValidationError'; Param = 'Priority' }
        @{ Name = 'workers 0'; Run = { New-StudioJob -Query 'x' -Workers 0 }; Id = 'ParameterArgumentValidationError'; Param = 'Workers' }
        @{ Name = 'cron with 4 fields'; Run = { New-StudioJob -Query 'x' -Cron '0 0 * *' }; Id = 'InvalidCron'; Param = 'Cron' }
        @{ Name = 'cron minute 61'; Run = { New-StudioJob -Query 'x' -Cron '61 0 * * *' }; Id = 'InvalidCron'; Param = 'Cron' }
        @{ Name = 'cron unknown shortcut'; Run = { New-StudioJob -Query 'x' -Cron '@fortnightly' }; Id = 'InvalidCron'; Param = 'Cron' }
        @{ Name = 'environment key with ='; Run = { New-StudioJob -Query 'x' -Environment @{ 'A=B' = '1' } }; Id = 'InvalidEnvironmentKey'; Param = 'Environment' }
        @{ Name = 'environment key with a newline'; Run = { New-StudioJob -Query 'x' -Environment @{ "A`nB" = '1' } }; Id = 'InvalidEnvironmentKey'; Param = 'Environment' }
        @{ Name = 'environment value with a newline'; Run = { New-StudioJob -Query 'x' -Environment @{ A = "1`n2" } }; Id = 'InvalidEnvironmentValue'; Param = 'Environment' }
        @{ Name = 'malformed environment file'; Run = { New-StudioJob -Query 'x' -EnvironmentFile $badEnv }; Id = 'InvalidEnvironmentFile'; Param = 'EnvironmentFile' }
        @{ Name = 'start time in a bad format'; Run = { New-StudioJob -Query 'x' -StartAfter 'next tuesday-ish' }; Id = 'CannotConvertArgumentNoMessage'; Param = 'StartAfter' }
        @{ Name = 'python version not a version'; Run = { New-StudioJob -Query 'x' -PythonVersion 'latest' }; Id = 'InvalidPythonVersion'; Param = 'PythonVersion' }
        @{ Name = 'unknown query type'; Run = { New-StudioJob -Query 'x' -QueryType RUBY }; Id = 'ParameterArgumentValidationError'; Param = 'QueryType' }
        @{ Name = 'file id with a space'; Run = { New-StudioJob -Query 'x' -FileId 'a b' }; Id = 'InvalidFileId'; Param = 'FileId' }
        @{ Name = 'repository not a URL'; Run = { New-StudioJob -Query 'x' -Repository 'not a url' }; Id = 'InvalidRepository'; Param = 'Repository' }
        @{ Name = 'multi-line requirement'; Run = { New-StudioJob -Query 'x' -Requirement "a`nb" }; Id = 'InvalidRequirement'; Param = 'Requirement' }
        @{ Name = '-NoLog without -Wait'; Run = { New-StudioJob -Query 'x' -NoLog }; Id = 'NoLogWithoutWait'; Param = 'NoLog' }
        @{ Name = 'stop a bad id'; Run = { Stop-StudioJob -Id 'x?y' }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = 'stop the id ..'; Run = { Stop-StudioJob -Id '..' -Confirm:$false }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = 'stop the id .'; Run = { Stop-StudioJob -Id '.' -Confirm:$false }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = 'job id with %'; Run = { Get-StudioJob -Id 'a%2Fb' }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = 'job id with a control character'; Run = { Get-StudioJobLog -Id "a`e[2Jb" }; Id = 'InvalidJobId'; Param = 'Id' }
        @{ Name = 'wait on a bad id'; Run = { Wait-StudioJob -Id '' }; Id = 'ParameterArgumentValidationError'; Param = 'Id' }
        @{ Name = 'wait time-out 0'; Run = { Wait-StudioJob -Id 'abc' -Timeout 0 }; Id = 'ParameterArgumentValidationError'; Param = 'Timeout' }
        @{ Name = 'poll interval 0'; Run = { Wait-StudioJob -Id 'abc' -PollIntervalSec 0 }; Id = 'ParameterArgumentValidationError'; Param = 'PollIntervalSec' }
        @{ Name = 'log of a bad id'; Run = { Get-StudioJobLog -Id '../../etc' }; Id = 'InvalidJobId'; Param = 'Id' }
        # Uploads
        @{ Name = 'missing file'; Run = { Send-StudioFile -Path (Join-Path $Work 'nothing-*.bin') }; Id = 'FileNotFound'; Param = 'Path' }
        @{ Name = 'folder upload'; Run = { Send-StudioFile -LiteralPath $folder }; Id = 'PathIsDirectory'; Param = 'LiteralPath' }
        @{ Name = 'locked file upload'; Run = { Send-StudioFile -LiteralPath $locked }; Id = 'FileNotReadable'; Param = 'LiteralPath' }
        @{ Name = 'not a file-system path'; Run = { Send-StudioFile -LiteralPath 'Env:PATH' }; Id = 'NotAFileSystemPath'; Param = 'LiteralPath' }
        # Pipelines
        @{ Name = 'empty dataset'; Run = { Invoke-StudioPipeline -Dataset ' ' }; Id = 'InvalidDataset'; Param = 'Dataset' }
        @{ Name = 'dataset with four parts'; Run = { Invoke-StudioPipeline -Dataset 'a.b.c.d' }; Id = 'InvalidDataset'; Param = 'Dataset' }
        @{ Name = 'bad dataset version'; Run = { Invoke-StudioPipeline -Dataset '@a.b.c' -Version 'newest' }; Id = 'InvalidVersion'; Param = 'Version' }
        @{ Name = '-Wait with -Review'; Run = { Invoke-StudioPipeline -Dataset '@a.b.c' -Review -Wait }; Id = 'WaitWithReview'; Param = 'Review' }
        @{ Name = 'pipeline status not a word'; Run = { Get-StudioPipeline -Status 'PA USED' }; Id = 'InvalidStatus'; Param = 'Status' }
        @{ Name = 'pause with no pipeline named'; Run = { Suspend-StudioPipeline }; Id = 'PipelineSelectorRequired'; Param = 'Name' }
        @{ Name = 'resume a bad pipeline id'; Run = { Resume-StudioPipeline -Id 'a b' }; Id = 'InvalidPipelineId'; Param = 'Id' }
        @{ Name = 'remove a bad job id'; Run = { Remove-StudioPipelineJob -Pipeline p -JobId 'a/b' -Confirm:$false }; Id = 'InvalidJobId'; Param = 'JobId' }
        @{ Name = 'draw in an unknown format'; Run = { Show-StudioPipeline -Name p -As Png }; Id = 'ParameterArgumentValidationError'; Param = 'As' }
    )
}

function Test-BadInput {
    param($Emulator)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $Work = Join-Path ([IO.Path]::GetTempPath()) ('studiops-rel-input-' + [guid]::NewGuid().ToString('N'))
    $folder = Join-Path $Work 'folder'
    $locked = Join-Path $Work 'locked.bin'
    $badEnv = Join-Path $Work 'bad.env'
    $null = New-Item -ItemType Directory -Path $folder -Force
    Set-Content -LiteralPath $badEnv -Value "A=1`nno equals here"
    Set-Content -LiteralPath $locked -Value 'x'
    # Another holder keeps the file locked (FileShare.None) for the whole table.
    $lock = [IO.File]::Open($locked, 'Open', 'ReadWrite', 'None')
    $fitting = 'InvalidArgument', 'InvalidData', 'ObjectNotFound', 'AuthenticationError', 'PermissionDenied', 'ReadError'
    $failures = [Collections.Generic.List[string]]::new()
    $cases = Get-BadInputCases
    Connect-Studio -Token $Emulator.Token -BaseUri $Emulator.Url -Team $Emulator.Team
    $null = Invoke-Control $Emulator Delete 'requests' $null
    try {
        foreach ($case in $cases) {
            $record = $null
            try { & { $ErrorActionPreference = 'Stop'; & $case.Run } 2>$null 3>$null 6>$null | Out-Null }
            catch { $record = $_ }
            if (-not $record) { $failures.Add("$($case.Name): no error"); continue }
            if ($record.FullyQualifiedErrorId -notlike "$($case.Id),*") { $failures.Add("$($case.Name): id $($record.FullyQualifiedErrorId)") }
            if ($record.CategoryInfo.Category -notin $fitting) { $failures.Add("$($case.Name): category $($record.CategoryInfo.Category)") }
            if ($record.Exception.Message -notlike "*$($case.Param)*") { $failures.Add("$($case.Name): message '$($record.Exception.Message)' does not name $($case.Param)") }
        }
        $sent = @(Get-ApiRequests $Emulator).Count
    }
    finally {
        $lock.Dispose()
        Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
    }
    $figure = "cases=$($cases.Count) wrong=$($failures.Count) requests-sent=$sent" + $(if ($failures.Count) { ' first: ' + $failures[0] } else { '' })
    New-Result 'bad-input' $figure ($cases.Count -ge 40 -and $failures.Count -eq 0 -and $sent -eq 0)
}

<#
.SYNOPSIS
Property 7: mutated document payloads through the response parsers (the xunit HostileResponseTests),
read back from the figures file the tests write.
#>
function Test-HostileResponses {
    param([string] $RepoRoot, [string] $Configuration = 'Release')
    $figures = Join-Path ([IO.Path]::GetTempPath()) ('studiops-rel-hostile-' + [guid]::NewGuid().ToString('N') + '.tsv')
    $env:STUDIOPS_RELIABILITY_FIGURES = $figures
    try {
        $output = & dotnet test (Join-Path $RepoRoot 'tests/StudioPS.Core.Tests/StudioPS.Core.Tests.csproj') -c $Configuration --no-build --filter 'FullyQualifiedName~HostileResponseTests' 2>&1
        $exit = $LASTEXITCODE
    }
    finally {
        Remove-Item Env:STUDIOPS_RELIABILITY_FIGURES
    }
    $cases = 0; $wrong = 0
    if (Test-Path -LiteralPath $figures) {
        foreach ($line in Get-Content -LiteralPath $figures) {
            $name, $count, $bad = $line -split "`t"
            $cases += [int]$count; $wrong += [int]$bad
        }
        Remove-Item -LiteralPath $figures
    }
    $figure = "cases=$cases other-exceptions=$wrong xunit-exit=$exit"
    New-Result 'hostile-responses' $figure ($exit -eq 0 -and $cases -ge 10000 -and $wrong -eq 0)
}

<#
.SYNOPSIS
Property 8: a job logging $Lines lines while the emulator drops the socket again and again: every line
exactly once, in order.
#>
function Test-LongLogFollow {
    param($Emulator, [int] $Lines = 5000, [int] $IntervalMs = 18, [int] $DropEveryMs = 1500, [int] $MinimumDrops = 20)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $connection = Connect-Reliability $Emulator
    $null = Invoke-Control $Emulator Delete 'requests' $null
    $null = Invoke-Control $Emulator Post 'ws-faults' @{ drop_every_ms = $DropEveryMs }
    try {
        $job = New-StudioJob -Query "# emulator: lines=$Lines interval_ms=$IntervalMs prefix=line" -Name 'rel-follow' -Connection $connection
        $got = @(Get-StudioJobLog -Id $job.Id -Follow -Connection $connection)
    }
    finally {
        $null = Invoke-Control $Emulator Delete 'ws-faults' $null
    }
    $connections = @(Get-ApiRequests $Emulator '/api/logs/follow*').Count
    $expected = 1..$Lines | ForEach-Object { "line $_" }
    $missing = @($expected | Where-Object { $_ -notin $got }).Count
    $repeated = $got.Count - @($got | Select-Object -Unique).Count
    $inOrder = ($got -join "`n") -eq ($expected -join "`n")
    $drops = [Math]::Max(0, $connections - 1)
    $figure = "lines=$Lines received=$($got.Count) drops=$drops missing=$missing repeated=$repeated in-order=$inOrder"
    New-Result 'long-log-follow' $figure ($inOrder -and $drops -ge $MinimumDrops)
}


# ---- Token confinement and hostile server II (issue 13) ----

# Runs a block; returns its first error record (terminating or not), or $null when it had none.
function Get-FirstError([scriptblock] $Block) {
    try {
        $null = & $Block -ErrorAction Stop
        $null
    }
    catch {
        $_
    }
}

function Get-ErrorRecordText($ErrorRecord) {
    if ($null -eq $ErrorRecord) { return '' }
    '{0} | {1}' -f $ErrorRecord.FullyQualifiedErrorId, $(if ($ErrorRecord.ErrorDetails) { $ErrorRecord.ErrorDetails.Message } else { $ErrorRecord.Exception.Message })
}

<#
.SYNOPSIS
Property 9, token confinement: the token reaches no origin but Studio's own. A second emulator stands for
"another origin" and records whether each request carried a token; the Studio emulator redirects there while
it fails transiently (503, 429, 500, 408, a dropped connection) so every attempt is retried; a child process
runs with http_proxy pointing at a listener that counts connections; a project's .datachain/config names the
other origin while the token comes from the environment (cmdlets and Tab completion); log blobs name the
other origin over http. Figure: requests that reached the other origin and how many carried the token (0).
#>
function Test-TokenConfinement {
    param($Emulator, [string] $ModulePath, [int] $Rounds = 1, [string] $EmulatorPath = $env:STUDIOPS_EMULATOR_PATH)
    $ErrorActionPreference = 'Continue'
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $other = Start-TestEmulator -EmulatorPath $EmulatorPath
    $folders = Enter-IsolatedStudioEnvironment
    $problems = [Collections.Generic.List[string]]::new()
    $calls = 0
    $proxyConnections = 0
    try {
        # 1. Redirects elsewhere, with the other origin failing so that each attempt is retried.
        $connection = Connect-Reliability $Emulator -TimeoutSec 5 -MaxRetries 2
        foreach ($failure in @(@{ status = 503 }, @{ status = 429 }, @{ status = 500 }, @{ status = 408 }, @{ abort = $true })) {
            Invoke-Control $other Delete 'faults' $null | Out-Null
            Add-Faults $other @((@{ path = '/api/*' } + $failure))
            Add-Faults $Emulator @(@{ path = '/api/datachain/clusters'; status = 307; location = "$($other.Url)/api/datachain/clusters/" })
            for ($i = 0; $i -lt $Rounds; $i++) {
                $calls++
                $failed = Get-FirstError { param($ErrorAction) Get-StudioCluster -Connection $connection -ErrorAction $ErrorAction }
                if (-not $failed) { $problems.Add("redirect to a failing origin ($($failure.Keys)) did not fail") }
            }
            Invoke-Control $Emulator Delete 'faults' $null | Out-Null
        }
        Invoke-Control $other Delete 'faults' $null | Out-Null
        $redirected = @(Get-ApiRequests $other).Count
        $redirectLeaks = @(Get-ApiRequests $other | Where-Object { $null -ne $_.auth_scheme }).Count
        if ($redirected -lt 5 * $Rounds) { $problems.Add("only $redirected redirected requests reached the other origin") }

        # A same-origin redirect keeps working.
        Add-Faults $Emulator @(@{ path = '/api/datachain/clusters'; status = 308; location = "$($Emulator.Url)/api/datachain/clusters/?again=1"; count = 1 })
        $calls++
        $clusters = @(Get-StudioCluster -Connection $connection -ErrorAction SilentlyContinue -ErrorVariable failed)
        if ($failed -or $clusters.Count -eq 0) { $problems.Add("a same-origin redirect failed: $(Get-ErrorRecordText @($failed)[0])") }
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null

        # 2. A proxy in the environment: a loopback Studio is reached directly, HTTP and websocket.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $proxy = 'http://127.0.0.1:{0}' -f $listener.LocalEndpoint.Port
        # This process reads the proxy of its environment once, at its first request through the default proxy (pwsh's
        # own telemetry, every 30 s or so): read it now, before the proxy is set, so only the child sees the proxy.
        $null = [Net.Http.HttpClient]::DefaultProxy
        $savedProxy = @{}
        foreach ($name in 'http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY') {
            $savedProxy[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $(if ($name -like '*no_proxy') { $null } else { $proxy }))
        }
        # pwsh itself sends telemetry (CONNECT dc.services.visualstudio.com:443, some 30 s after it starts) and may
        # check for updates, through the proxy of its environment: not the module's traffic, and the cause of a
        # rare 'proxy-connections=1' on a loaded machine. The child runs without both, so the proxy counts StudioPS alone.
        foreach ($name in 'POWERSHELL_TELEMETRY_OPTOUT', 'POWERSHELL_UPDATECHECK') {
            $savedProxy[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $(if ($name -eq 'POWERSHELL_UPDATECHECK') { 'Off' } else { '1' }))
        }
        try {
            $calls += 2
            $child = Invoke-ChildPowerShell -Command ("`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; " +
                "`$c = Connect-Studio -Token '$($Emulator.Token)' -BaseUri '$($Emulator.Url)' -Team '$($Emulator.Team)' -TimeoutSec 10 -PassThru; " +
                "`$n = @(Get-StudioCluster -Connection `$c).Count; `$j = New-StudioJob -Query '# emulator: lines=3 interval_ms=1 prefix=p' -Connection `$c; " +
                "`$l = @(Get-StudioJobLog -Id `$j.Id -Follow -Connection `$c).Count; 'proxy-check clusters=' + `$n + ' lines=' + `$l")
        }
        finally {
            foreach ($name in $savedProxy.Keys) { [Environment]::SetEnvironmentVariable($name, $savedProxy[$name]) }
        }
        while ($listener.Pending()) {
            # Name what came through the proxy (its first line: CONNECT host or GET url), so a failure says who.
            $proxyConnections++
            $client = $listener.AcceptTcpClient()
            try {
                $stream = $client.GetStream()
                $stream.ReadTimeout = 1000
                $buffer = [byte[]]::new(512)
                $read = $stream.Read($buffer, 0, $buffer.Length)
                $first = ([Text.Encoding]::ASCII.GetString($buffer, 0, $read) -split "`r?`n")[0]
                $problems.Add("a connection went through the proxy: '$first'")
            }
            catch { $problems.Add("a connection went through the proxy and sent nothing: $($_.Exception.Message)") }
            finally { $client.Dispose() }
        }
        $listener.Stop()
        if (-not ($child.Output -match 'proxy-check clusters=3 lines=3')) { $problems.Add("through a proxy setting: $($child.Output -join ' ')") }

        # 3. A project's config names the other origin; the token comes from the environment, then the global config.
        Disconnect-Studio
        Invoke-Control $other Delete 'requests' $null | Out-Null
        Set-Content -LiteralPath (Join-Path $folders.DataChainDir 'config') -Value "[studio]`nurl = `"$($other.Url)`""
        $env:DATACHAIN_STUDIO_TOKEN = $Emulator.Token
        $env:DATACHAIN_STUDIO_TEAM = $Emulator.Team
        try {
            foreach ($from in 'environment', 'global config') {
                if ($from -eq 'global config') {
                    Remove-Item Env:DATACHAIN_STUDIO_TOKEN
                    Set-Content -LiteralPath (Join-Path $folders.GlobalConfigDir 'config') -Value "[studio]`ntoken = `"$($Emulator.Token)`""
                }
                $calls += 4
                $failed = Get-FirstError { param($ErrorAction) Get-StudioCluster -ErrorAction $ErrorAction }
                if (-not $failed -or $failed.FullyQualifiedErrorId -notlike 'ProjectUrlWithOtherToken*') { $problems.Add("project url, token from ${from}: $(Get-ErrorRecordText $failed)") }
                $null = Get-FirstError { param($ErrorAction) Get-StudioJob -First 1 -ErrorAction $ErrorAction }
                foreach ($line in 'New-StudioJob -Query x -ClusterName ', 'Get-StudioJob -Id ') {
                    $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
                    if (@($offered).Count -gt 0) { $problems.Add("completion offered $(@($offered).Count) items for '$line'") }
                }
                Disconnect-Studio
            }
        }
        finally {
            Remove-Item Env:DATACHAIN_STUDIO_TOKEN, Env:DATACHAIN_STUDIO_TEAM -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath (Join-Path $folders.DataChainDir 'config'), (Join-Path $folders.GlobalConfigDir 'config') -ErrorAction SilentlyContinue
        }
        $fromProject = @(Get-ApiRequests $other).Count
        if ($fromProject -ne 0) { $problems.Add("$fromProject requests reached the project's URL") }

        # 4. Log blobs: one at the other origin over plain http (refused: a warning, and the follow goes on, as
        # the official client does with an archive it cannot read), one at Studio's own origin (read with the token).
        $connection = Connect-Reliability $Emulator -TimeoutSec 5 -MaxRetries 0
        $job = New-StudioJob -Query '# emulator: lines=1 interval_ms=1 prefix=b' -Connection $connection
        foreach ($blob in "$($other.Url)/api/blob/1", "$($Emulator.Url)/api/blob/own") {
            $calls++
            $frame = ConvertTo-Json -Compress -InputObject @{ log_blobs = @($blob) }
            $null = Invoke-Control $Emulator Post 'ws-faults' @{ first_frame = $frame }
            $warned = $null
            try { $null = Get-StudioJobLog -Id $job.Id -Follow -Connection $connection -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue }
            finally { $null = Invoke-Control $Emulator Delete 'ws-faults' $null }
            if ($blob -like "$($other.Url)*" -and -not $warned) { $problems.Add("the blob $blob was not refused with a warning") }
        }
        $ownBlob = @(Get-ApiRequests $Emulator '/api/blob/*')
        if ($ownBlob.Count -ne 1) { $problems.Add("the own-origin blob was read $($ownBlob.Count) times") }

        # The other origin's log was cleared after the redirect phase: its leaks were counted then.
        $leaks = $redirectLeaks + @(Get-ApiRequests $other | Where-Object { $null -ne $_.auth_scheme }).Count + $proxyConnections + $fromProject
        $figure = "calls=$calls reached-other-origin=$redirected token-to-other-origin=$leaks proxy-connections=$proxyConnections project-url-requests=$fromProject"
        if ($problems.Count) { $figure += ' problems: ' + ($problems -join '; ') }
        New-Result 'token-confinement' $figure ($leaks -eq 0 -and $problems.Count -eq 0)
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
        Exit-IsolatedStudioEnvironment
        Stop-TestEmulator $other
    }
}

<#
.SYNOPSIS
Property 10, hostile server II: a server that trickles an error body, sends huge bodies and websocket
messages, a 20,000-deep pipeline graph, or a blob at a bad scheme. Each must end as a clear error (an
ErrorRecord with a Studio.* or named id and a message) within the call's time-out, never a hang and
never a crash of the process.
#>
function Test-HostileServerII {
    param($Emulator, [string] $ModulePath, [int] $TimeoutSec = 3, [int] $Depth = 20000)
    Invoke-Control $Emulator Delete 'faults' $null | Out-Null
    $connection = Connect-Reliability $Emulator -TimeoutSec $TimeoutSec -MaxRetries 0
    $roomy = Connect-Reliability $Emulator -TimeoutSec 60 -MaxRetries 0
    $job = New-StudioJob -Query '# emulator: lines=1 interval_ms=1 prefix=h' -Connection $connection
    $slack = 10
    $cases = [ordered]@{
        'slow-error-body' = @{ Fault = @{ method = 'GET'; path = '/api/datachain/jobs'; status = 400; body = ('{"detail": "' + ('x' * 200) + '"}'); trickle_ms = 100 }
                               Run = { param($c) Get-StudioJob -First 5 -Connection $c -ErrorAction Stop }; Expect = 'Studio.Timeout' }
        'huge-error-body' = @{ Fault = @{ method = 'GET'; path = '/api/datachain/jobs'; status = 400; body = ('{"detail": "bad"}' + (' ' * 983)); body_repeat = 200000; content_type = 'text/plain' }
                               Run = { param($c) Get-StudioJob -First 5 -Connection $c -ErrorAction Stop }; Expect = 'Studio.BadRequest' }
        # The cap, not the time-out, must end these two: they get a generous time-out of their own.
        'huge-body'       = @{ Fault = @{ method = 'GET'; path = '/api/datachain/pipeline/status'; status = 200; body = (' ' * 1000); body_repeat = 40000; content_type = 'application/json' }
                               Run = { param($c) Get-StudioPipeline -Name 'any' -Connection $roomy -ErrorAction Stop }; Expect = 'Studio.InvalidResponse'; Bound = 60 }
        'huge-frame'      = @{ WsFault = @{ first_frame_bytes = 20MB }
                               Run = { param($c) Get-StudioJobLog -Id $job.Id -Follow -Connection $roomy -ErrorAction Stop }; Expect = 'Studio.InvalidResponse'; Bound = 60 }
        'bad-blob-scheme' = @{ WsFault = @{ first_frame = '{"log_blobs": ["ftp://files.example/log.txt"]}' }
                               # Refused with a warning and the follow goes on (issue 12); the warning is made the record checked here.
                               Run = { param($c)
                                   $warned = $null
                                   $null = Get-StudioJobLog -Id $job.Id -Follow -Connection $c -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
                                   if ($warned) {
                                       $record = [System.Management.Automation.ErrorRecord]::new([Exception]::new($warned[0].Message), 'Studio.BlobRefused', 'InvalidData', $null)
                                       $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($warned[0].Message)
                                       throw $record
                                   } }; Expect = 'Studio.BlobRefused' }
    }
    $parts = [Collections.Generic.List[string]]::new()
    $hangs = 0; $unclear = 0; $crashes = 0
    try {
        foreach ($name in $cases.Keys) {
            $case = $cases[$name]
            Invoke-Control $Emulator Delete 'faults' $null | Out-Null
            if ($case['Fault']) { Add-Faults $Emulator @($case['Fault']) }
            if ($case['WsFault']) { $null = Invoke-Control $Emulator Post 'ws-faults' $case['WsFault'] }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $record = $null
            try {
                $null = & $case.Run $connection
            }
            catch {
                $record = $_
            }
            finally {
                if ($case['WsFault']) { $null = Invoke-Control $Emulator Delete 'ws-faults' $null }
            }
            $seconds = $watch.Elapsed.TotalSeconds
            $bound = if ($case['Bound']) { $case['Bound'] } else { $TimeoutSec + $slack }
            if ($seconds -gt $bound) { $hangs++ }
            $clear = $null -ne $record -and $record.FullyQualifiedErrorId -like "$($case.Expect)*" -and $record.ErrorDetails.Message.Length -gt 20
            if (-not $clear) { $unclear++ }
            $parts.Add(('{0}={1:0.0}s{2}' -f $name, $seconds, $(if ($clear) { '' } else { "(unclear: $(Get-ErrorRecordText $record))" })))
        }

        # A 20,000-deep pipeline graph, drawn in a child process: a stack overflow would end that process.
        $runs = [Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $Depth; $i++) {
            $runs.Add([ordered]@{ job_id = "j$i"; name = "step$i"; status = 'COMPLETED'; parent_job_ids = @(if ($i -gt 0) { "j$($i - 1)" }) })
        }
        $body = ConvertTo-Json -Compress -Depth 5 -InputObject ([ordered]@{ pipeline_id = 'deep'; name = 'deep'; status = 'RUNNING'; job_runs = $runs })
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
        Add-Faults $Emulator @(@{ method = 'GET'; path = '/api/datachain/pipeline/status'; status = 200; body = $body })
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $child = Invoke-ChildPowerShell -Command ("Import-Module '$ModulePath'; " +
            "`$c = Connect-Studio -Token '$($Emulator.Token)' -BaseUri '$($Emulator.Url)' -Team '$($Emulator.Team)' -TimeoutSec 60 -PassThru -SkipValidation; " +
            "`$lines = @(Show-StudioPipeline -Name deep -Connection `$c); 'deep-lines=' + `$lines.Count")
        $expected = "deep-lines=$($Depth + 1)"
        if ($child.ExitCode -ne 0) { $crashes++ }
        if (-not ($child.Output -contains $expected)) { $unclear++ }
        $parts.Add(('deep-graph={0:0.0}s(exit {1}, {2})' -f $watch.Elapsed.TotalSeconds, $child.ExitCode, $(@($child.Output | Where-Object { $_ -like 'deep-lines=*' })[0])))
    }
    finally {
        Invoke-Control $Emulator Delete 'faults' $null | Out-Null
        $null = Invoke-Control $Emulator Delete 'ws-faults' $null
    }
    $figure = "cases=$($cases.Count + 1) hangs=$hangs crashes=$crashes unclear=$unclear " + ($parts -join ' ')
    New-Result 'hostile-server-ii' $figure ($hangs -eq 0 -and $crashes -eq 0 -and $unclear -eq 0)
}

Export-ModuleMember -Function Test-ReadsUnderFaults, Test-WritesUnderFaults, Test-UploadsUnderAbort, Test-Cancellation, Test-Secrets,
    Test-BadInput, Get-BadInputCases, Test-HostileResponses, Test-LongLogFollow,
    Test-TokenConfinement, Test-HostileServerII
