<#
.SYNOPSIS
Measures StudioPS against the plain tools (Invoke-RestMethod, HttpClient, curl) on a local emulator.

.DESCRIPTION
Starts the Studio emulator on 127.0.0.1, runs every figure of docs/PERFORMANCE.md -Repetitions times
(each measurement in a fresh PowerShell process, bench/BenchWorker.ps1, StudioPS and its baseline
alternating) and prints one line per figure:

    bench: <name> studiops=<value> baseline=<value> ratio=<r> target=<t> PASS|MISS

The values are medians. -ReportPath rewrites the part of that file between the markers
<!-- bench:begin --> and <!-- bench:end --> with the table, the machine and the emulator's CPU use
(so the explanations around it stay). Benchmarks are not tests: a MISS never fails the script; only a
broken measurement does.

-Size Smoke runs every scenario at tiny sizes (seconds, no curl needed) so the script keeps working.

.EXAMPLE
dotnet pwsh -NoProfile ./bench/Invoke-StudioBench.ps1 -ModulePath out/StudioPS/StudioPS.psd1 -EmulatorPath src/StudioPS.Emulator/bin/Release/net10.0/StudioPS.Emulator.dll
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,

    [ValidateSet('Full', 'Smoke')]
    [string] $Size = 'Full',

    [ValidateRange(1, 50)]
    [int] $Repetitions = 5,

    # Where to write the table; none = print only.
    [string] $ReportPath,

    # Where the upload's test file goes (deleted afterwards).
    [string] $TempDirectory = [IO.Path]::GetTempPath(),

    # Every child PowerShell starts as on a machine where PowerShell never ran: empty cache, data and
    # config folders of its own (XDG_CACHE_HOME, XDG_DATA_HOME, XDG_CONFIG_HOME). The smoke test uses it, so
    # a worker that only starts where an earlier PowerShell left its caches fails on every machine.
    [switch] $ColdStart
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$EmulatorPath = (Resolve-Path -LiteralPath $EmulatorPath).ProviderPath
$workerPath = Join-Path $PSScriptRoot 'BenchWorker.ps1'
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/TestSupport.psm1') -Force
$dotnet = [Environment]::ProcessPath
if ([IO.Path]::GetFileNameWithoutExtension($dotnet) -ne 'dotnet') {
    $dotnet = (Get-Command -Name dotnet -CommandType Application | Select-Object -First 1).Source
}
$pwshDll = Join-Path $PSHOME 'pwsh.dll'

$sizes = if ($Size -eq 'Full') {
    @{ Calls = 100; CallRounds = 20; Jobs = 50000; UploadBytes = 1GB; WaitJobs = 100; WaitRounds = 10; ImportReps = [Math]::Max(2 * $Repetitions, 10) }
}
else {
    @{ Calls = 5; CallRounds = 2; Jobs = 500; UploadBytes = 4MB; WaitJobs = 5; WaitRounds = 2; ImportReps = 1 }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return [double]$sorted[[int][Math]::Floor($n / 2)] }
    ([double]$sorted[$n / 2 - 1] + [double]$sorted[$n / 2]) / 2
}

function Get-Quantile([double[]] $Values, [double] $Q) {
    # Linear interpolation between the closest ranks (Q = 0.5 is the median).
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $position = ($sorted.Count - 1) * $Q
    $low = [int][Math]::Floor($position)
    $high = [int][Math]::Ceiling($position)
    [double]$sorted[$low] + ([double]$sorted[$high] - [double]$sorted[$low]) * ($position - $low)
}

function Invoke-Child {
    # Runs a fresh PowerShell; returns its wall time and standard output. Fails on a non-zero exit.
    param([string[]] $ArgumentList, [hashtable] $Environment = @{})
    $startInfo = [Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($argument in @($pwshDll) + $ArgumentList) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    foreach ($key in $Environment.Keys) { $startInfo.Environment[$key] = $Environment[$key] }
    $coldRoot = $null
    if ($ColdStart) {
        $coldRoot = Join-Path $TempDirectory ('studiops-bench-cold-' + [guid]::NewGuid().ToString('N'))
        foreach ($name in 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME') {
            $folder = Join-Path $coldRoot $name
            $null = New-Item -ItemType Directory -Path $folder
            $startInfo.Environment[$name] = $folder
        }
    }
    try {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $process = [Diagnostics.Process]::Start($startInfo)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        $sw.Stop()
    }
    finally {
        if ($coldRoot) { Remove-Item -LiteralPath $coldRoot -Recurse -Force -ErrorAction SilentlyContinue }
    }
    if ($process.ExitCode -ne 0) {
        throw "pwsh $($ArgumentList -join ' ') exited with code $($process.ExitCode):`n$stdout`n$($stderr.Result)"
    }
    [pscustomobject]@{ Ms = $sw.Elapsed.TotalMilliseconds; Output = $stdout }
}

$script:EmulatorCpu = [ordered]@{}
# Every worker scenario that ran and printed its result; the last line lists them.
$script:ScenariosRun = [ordered]@{}

function Invoke-Worker {
    # One scenario in a fresh PowerShell; notes the emulator's CPU time during it.
    param([string] $Scenario, [hashtable] $Extra = @{})
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $workerPath, '-Scenario', $Scenario,
        '-Url', $emulator.Url, '-Token', $emulator.Token, '-Team', $emulator.Team, '-ModulePath', $ModulePath)
    foreach ($key in $Extra.Keys) {
        $arguments += "-$key"
        $arguments += @($Extra[$key] | ForEach-Object { [string]$_ })
    }
    $arguments += '-EmulatorPid', [string]$emulator.Process.Id
    $run = Invoke-Child -ArgumentList $arguments
    $line = @($run.Output -split "`n" | Where-Object { $_.Trim().StartsWith('{') }) | Select-Object -Last 1
    if (-not $line) { throw "BenchWorker $Scenario printed no result:`n$($run.Output)" }
    $result = $line | ConvertFrom-Json
    $script:ScenariosRun[$Scenario] = $true
    if ($result.ms -gt 0 -and $result.emulator_cpu_ms -ge 0) {
        if (-not $script:EmulatorCpu.Contains($Scenario)) { $script:EmulatorCpu[$Scenario] = [Collections.Generic.List[double]]::new() }
        # The emulator's CPU time over the measured span: 1.00 = one core busy the whole time.
        $script:EmulatorCpu[$Scenario].Add($result.emulator_cpu_ms / $result.ms)
    }
    $result
}

$figures = [Collections.Generic.List[object]]::new()
function Add-Figure {
    param([string] $Name, [double] $StudioPS, [double] $Baseline, [string] $Unit, [double] $Ratio,
        [string] $Target, [bool] $Pass, [string] $Note = '')
    $figure = [pscustomobject]@{
        Name = $Name; StudioPS = $StudioPS; Baseline = $Baseline; Unit = $Unit; Ratio = $Ratio
        Target = $Target; Result = if ($Pass) { 'PASS' } else { 'MISS' }; Note = $Note
    }
    $figures.Add($figure)
    $f = { param($v) if ([double]::IsNaN($v)) { 'n/a' } else { '{0:0.###}{1}' -f $v, $Unit } }
    $line = 'bench: {0} studiops={1} baseline={2} ratio={3} target={4} {5}' -f $Name, (& $f $StudioPS), (& $f $Baseline),
        $(if ([double]::IsNaN($Ratio)) { 'n/a' } else { '{0:0.###}' -f $Ratio }), $Target, $figure.Result
    if ($Note) { $line += " ($Note)" }
    Write-Host $line
}

function Add-RatioFigure([string] $Name, [double] $StudioPS, [double] $Baseline, [string] $Unit, [string] $Op, [double] $Limit, [string] $Note = '') {
    $ratio = if ($Baseline -gt 0) { $StudioPS / $Baseline } else { [double]::NaN }
    $pass = if ($Op -eq '<=') { $ratio -le $Limit } else { $ratio -ge $Limit }
    Add-Figure -Name $Name -StudioPS $StudioPS -Baseline $Baseline -Unit $Unit -Ratio $ratio -Target "ratio$Op$Limit" -Pass $pass -Note $Note
}

$null = Enter-IsolatedStudioEnvironment
$emulator = $null
$uploadFile = $null
$started = [Diagnostics.Stopwatch]::StartNew()
try {
    # Start-TestEmulator caps the emulator at 900 s, which a Full run on a loaded 2-core machine outlives (one
    # ended mid-upload with "connection reset" after 15 min). --parent-pid still ends it with this script.
    $emulator = Start-TestEmulator -EmulatorPath $EmulatorPath -ArgumentList '--max-lifetime-sec', '7200'
    Write-Host "bench: emulator $($emulator.Url), size $Size, $Repetitions repetition(s)"
    $headers = @{ Authorization = "Bearer $($emulator.Token)" }
    $api = $emulator.Url.TrimEnd('/') + '/api/datachain'

    # ---- per-call: Get-StudioCluster against three baselines, interleaved in one process per repetition ----
    $blocks = @{ studiops = @(); irm = @(); httpclient = @(); parts = @() }
    $ratios = @{ irm = @(); httpclient = @(); parts = @() }
    for ($r = 0; $r -lt $Repetitions; $r++) {
        $run = Invoke-Worker 'percall' @{ Count = $sizes.Calls; Rounds = $sizes.CallRounds }
        $b = $run.blocks
        foreach ($kind in 'studiops', 'irm', 'httpclient', 'connection') {
            if (@($b.$kind).Count -ne $sizes.CallRounds) { throw "percall measured $(@($b.$kind).Count) blocks of $kind, expected $($sizes.CallRounds)." }
        }
        for ($i = 0; $i -lt $sizes.CallRounds; $i++) {
            # Ratios within one round: the blocks it compares ran next to each other.
            $studio = [double]$b.studiops[$i]
            $parts = [double]$b.httpclient[$i] + [double]$b.connection[$i]
            $blocks.studiops += $studio; $blocks.irm += [double]$b.irm[$i]; $blocks.httpclient += [double]$b.httpclient[$i]; $blocks.parts += $parts
            $ratios.irm += $studio / [double]$b.irm[$i]
            $ratios.httpclient += $studio / [double]$b.httpclient[$i]
            $ratios.parts += $studio / $parts
        }
    }
    $studioMs = Get-Median $blocks.studiops
    $spread = {
        param([string] $Kind)
        'median of {0} paired blocks of {1} calls; ratio p25-p75 {2:0.00}-{3:0.00}; StudioPS {4:0.000}-{5:0.000} ms, baseline {6:0.000}-{7:0.000} ms' -f
            $ratios[$Kind].Count, $sizes.Calls, (Get-Quantile $ratios[$Kind] 0.25), (Get-Quantile $ratios[$Kind] 0.75),
            (Get-Quantile $blocks.studiops 0.25), (Get-Quantile $blocks.studiops 0.75), (Get-Quantile $blocks[$Kind] 0.25), (Get-Quantile $blocks[$Kind] 0.75)
    }
    foreach ($figure in @(
            @{ Name = 'per-call'; Kind = 'irm'; Limit = 0.8 }
            @{ Name = 'per-call-floor'; Kind = 'httpclient'; Limit = 1.5 }
            @{ Name = 'per-call-parts'; Kind = 'parts'; Limit = 1.3 })) {
        $ratio = Get-Median $ratios[$figure.Kind]
        Add-Figure -Name $figure.Name -StudioPS $studioMs -Baseline (Get-Median $blocks[$figure.Kind]) -Unit 'ms' -Ratio $ratio `
            -Target "ratio<=$($figure.Limit)" -Pass ($ratio -le $figure.Limit) -Note (& $spread $figure.Kind)
    }

    # ---- upload: Send-StudioFile against curl -F ----
    $uploadFile = Join-Path $TempDirectory ('studiops-bench-' + [guid]::NewGuid().ToString('N') + '.bin')
    $freeBytes = [IO.DriveInfo]::new($TempDirectory).AvailableFreeSpace
    if ($freeBytes -lt 3 * $sizes.UploadBytes + 1GB) {
        throw "The upload needs about $([Math]::Round((3 * $sizes.UploadBytes + 1GB) / 1GB, 1)) GiB free in $TempDirectory (the file and the emulator's copy); $([Math]::Round($freeBytes / 1GB, 1)) GiB are free."
    }
    $buffer = [byte[]]::new(1MB)
    [Random]::new(7).NextBytes($buffer)
    $stream = [IO.File]::Create($uploadFile)
    try {
        for ($written = 0L; $written -lt $sizes.UploadBytes; $written += $buffer.Length) {
            $stream.Write($buffer, 0, [int][Math]::Min($buffer.Length, $sizes.UploadBytes - $written))
        }
    }
    finally { $stream.Dispose() }
    $curl = Get-Command -Name curl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $curl -and $Size -eq 'Full') {
        Write-Host 'bench: curl is not installed: upload-1g has no curl baseline (install curl to measure it).'
    }
    $upload = @{ studiops = @(); curl = @(); growth = @() }
    $uploadUri = "$api/jobs/files?team_name=$([uri]::EscapeDataString($emulator.Team))"
    for ($r = 0; $r -lt $Repetitions; $r++) {
        $run = Invoke-Worker 'upload-studiops' @{ FilePath = $uploadFile }
        if ($run.count -ne $sizes.UploadBytes) { throw "Send-StudioFile reported $($run.count) bytes, expected $($sizes.UploadBytes)." }
        $upload.studiops += $sizes.UploadBytes / 1MB / ($run.ms / 1000)
        $upload.growth += $run.growth_bytes
        Reset-Emulator $emulator   # deletes the stored copy
        if ($curl -and $Size -eq 'Full') {
            $emulator.Process.Refresh()
            $cpuBefore = $emulator.Process.TotalProcessorTime
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $answer = & $curl.Source -sS -H "Authorization: Bearer $($emulator.Token)" -F "file=@$uploadFile" $uploadUri
            $sw.Stop()
            if ($LASTEXITCODE -ne 0 -or ($answer | ConvertFrom-Json).size -ne $sizes.UploadBytes) { throw "curl failed ($LASTEXITCODE): $answer" }
            $upload.curl += $sizes.UploadBytes / 1MB / $sw.Elapsed.TotalSeconds
            $emulator.Process.Refresh()
            if (-not $script:EmulatorCpu.Contains('upload-curl')) { $script:EmulatorCpu['upload-curl'] = [Collections.Generic.List[double]]::new() }
            $script:EmulatorCpu['upload-curl'].Add(($emulator.Process.TotalProcessorTime - $cpuBefore).TotalMilliseconds / $sw.Elapsed.TotalMilliseconds)
            Reset-Emulator $emulator
        }
    }
    Remove-Item -LiteralPath $uploadFile -Force
    $uploadFile = $null
    $uploadName = if ($Size -eq 'Full') { 'upload-1g' } else { 'upload-smoke' }
    if ($upload.curl.Count -gt 0) {
        Add-RatioFigure $uploadName (Get-Median $upload.studiops) (Get-Median $upload.curl) 'MiB/s' '>=' 0.8
    }
    else {
        Add-Figure -Name $uploadName -StudioPS (Get-Median $upload.studiops) -Baseline ([double]::NaN) -Unit 'MiB/s' -Ratio ([double]::NaN) `
            -Target 'ratio>=0.8' -Pass $true -Note 'no curl baseline: skipped'
    }
    $growth = Get-Median $upload.growth
    if ($growth -ge 0) {
        Add-RatioFigure 'upload-memory' ($growth / 1MB) ($sizes.UploadBytes / 1MB) 'MiB' '<=' 0.06
    }
    else {
        Add-Figure 'upload-memory' ([double]::NaN) ($sizes.UploadBytes / 1MB) 'MiB' ([double]::NaN) 'ratio<=0.06' $true 'no /proc: not measured'
    }

    # ---- list: the whole job list, streamed, against Invoke-RestMethod ----
    $null = Invoke-EmulatorControl -Emulator $emulator -Method Post -Path 'seed-jobs' `
        -Body @{ count = $sizes.Jobs; team = $emulator.Team; status = 'COMPLETE' }
    $list = @{ studiops = @(); irm = @(); first = @(); body = @(); ttfb = @(); studioGrowth = @(); irmGrowth = @() }
    for ($r = 0; $r -lt $Repetitions; $r++) {
        $s = Invoke-Worker 'list-studiops'
        $i = Invoke-Worker 'list-irm'
        $b = Invoke-Worker 'list-body'
        foreach ($run in $s, $i) {
            if ($run.count -ne $sizes.Jobs) { throw "$($run.scenario) counted $($run.count) jobs, expected $($sizes.Jobs)." }
        }
        $list.studiops += $s.ms; $list.first += $s.first_ms; $list.studioGrowth += $s.growth_bytes
        $list.irm += $i.ms; $list.irmGrowth += $i.growth_bytes
        $list.body += $b.ms; $list.ttfb += $b.first_ms
    }
    $listName = if ($Size -eq 'Full') { 'list-50k' } else { 'list-smoke' }
    Add-RatioFigure $listName (Get-Median $list.studiops) (Get-Median $list.irm) 'ms' '<=' 0.5
    Add-RatioFigure 'list-first' (Get-Median $list.first) (Get-Median $list.body) 'ms' '<=' 0.1 ('the server sent its first byte after {0:0.#} ms' -f (Get-Median $list.ttfb))
    if ((Get-Median $list.studioGrowth) -ge 0) {
        Add-RatioFigure 'list-memory' ((Get-Median $list.studioGrowth) / 1MB) ((Get-Median $list.irmGrowth) / 1MB) 'MiB' '<=' 0.33
    }
    else {
        Add-Figure 'list-memory' ([double]::NaN) ([double]::NaN) 'MiB' ([double]::NaN) 'ratio<=0.33' $true 'no /proc: not measured'
    }

    # ---- wait: requests while Wait-StudioJob waits on many running jobs ----
    Reset-Emulator $emulator
    $waitRequests = @()
    $waitReps = [Math]::Min($Repetitions, 2)
    for ($r = 0; $r -lt $waitReps; $r++) {
        $null = Invoke-EmulatorControl -Emulator $emulator -Method Post -Path 'seed-jobs' `
            -Body @{ count = $sizes.WaitJobs; team = $emulator.Team; status = 'RUNNING' }
        $ids = @(Invoke-RestMethod -Uri "$api/jobs/?team_name=$($emulator.Team)&status=RUNNING" -Headers $headers -NoProxy |
                ForEach-Object { $_ } | ForEach-Object id)
        if ($ids.Count -ne $sizes.WaitJobs) { throw "Expected $($sizes.WaitJobs) running jobs, found $($ids.Count)." }
        Clear-EmulatorRequest $emulator
        $run = Invoke-Worker 'wait-studiops' @{ JobId = ($ids -join ','); PollRounds = $sizes.WaitRounds }
        $apiRequests = @(Get-EmulatorRequest $emulator | Where-Object { $_.path -like '/api/*' })
        if ($run.ms -lt ($sizes.WaitRounds - 1) * 1000) { throw "Wait-StudioJob returned after $($run.ms) ms, before its $($sizes.WaitRounds) poll rounds." }
        # Connect-Studio's one validation read is not part of the wait.
        $waitRequests += [Math]::Max(0, $apiRequests.Count - 1)
        Reset-Emulator $emulator
    }
    $waitName = if ($Size -eq 'Full') { 'wait-100' } else { 'wait-smoke' }
    Add-RatioFigure $waitName (Get-Median $waitRequests) ($sizes.WaitJobs * $sizes.WaitRounds) '' '<=' 0.02

    # ---- follow: Get-StudioJobLog -Follow over raw chunks, against a raw ClientWebSocket loop; memory over replays ----
    Reset-Emulator $emulator
    $followLines = if ($Size -eq 'Full') { 100000 } else { 2000 }
    $memoryLines = if ($Size -eq 'Full') { 1000000 } else { 20000 }
    $memoryReconnects = if ($Size -eq 'Full') { 20 } else { 3 }
    $followWorker = Join-Path $PSScriptRoot 'FollowBench.ps1'
    $newJob = {
        param([string] $Query)
        $body = ConvertTo-Json @{ query = $Query; team_name = $emulator.Team }
        (Invoke-RestMethod -Method Post -Uri "$api/jobs/" -Headers $headers -ContentType 'application/json' -Body $body -NoProxy).id
    }
    $jobStatus = { param([string] $Id) (@(Invoke-RestMethod -Uri "$api/jobs/?team_name=$($emulator.Team)&job_id=$Id" -Headers $headers -NoProxy) | ForEach-Object { $_ })[0].status }
    $followJob = & $newJob "# emulator: lines=$followLines interval_ms=0 prefix=row"
    while ((& $jobStatus $followJob) -ne 'COMPLETE') { Start-Sleep -Milliseconds 200 }
    $pair = (Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-File', $followWorker, '-Scenario', 'follow-pair', '-Url', $emulator.Url,
        '-Token', $emulator.Token, '-Team', $emulator.Team, '-ModulePath', $ModulePath, '-JobId', $followJob, '-Repetitions', "$Repetitions").Output -split "`n" |
        Where-Object { $_.Trim().StartsWith('{') } | Select-Object -Last 1 | ConvertFrom-Json
    if ($pair.count -ne $followLines) { throw "Get-StudioJobLog -Follow wrote $($pair.count) lines, expected $followLines." }
    Add-RatioFigure $(if ($Size -eq 'Full') { 'follow-100k' } else { 'follow-smoke' }) $pair.studiops_ms $pair.baseline_ms 'ms' '<=' 1.5 `
        ('{0} records in raw chunks; the least a compiled cmdlet writing the lines takes: {1:n1} ms, {2:n2} x the raw loop' -f $pair.records, $pair.minimal_ms, ($pair.minimal_ms / $pair.baseline_ms))
    # The same against the raw loop plus PowerShell's own cost of writing that many lines (as per-call-parts does for calls).
    Add-RatioFigure $(if ($Size -eq 'Full') { 'follow-100k-parts' } else { 'follow-smoke-parts' }) $pair.studiops_ms ($pair.baseline_ms + $pair.write_ms) 'ms' '<=' 1.5 `
        ('raw loop {0:n1} ms + Write-Output of the {1} lines {2:n1} ms' -f $pair.baseline_ms, $pair.count, $pair.write_ms)
    # Against the least a compiled cmdlet must do to write the same lines (bench/MinimalLogFollow.cs): StudioPS's own share.
    Add-RatioFigure $(if ($Size -eq 'Full') { 'follow-100k-minimal' } else { 'follow-smoke-minimal' }) $pair.studiops_ms $pair.minimal_ms 'ms' '<=' 1.5 `
        'one websocket, frames parsed, messages split into lines, one WriteObject each; no deduplication, reconnection or status'
    $memoryJob = & $newJob "# emulator: lines=$memoryLines interval_ms=0.08 prefix=row"
    $memory = (Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-File', $followWorker, '-Scenario', 'follow-memory', '-Url', $emulator.Url,
        '-Token', $emulator.Token, '-Team', $emulator.Team, '-ModulePath', $ModulePath, '-JobId', $memoryJob, '-Reconnects', "$memoryReconnects", '-ControlToken', $emulator.ControlToken).Output -split "`n" |
        Where-Object { $_.Trim().StartsWith('{') } | Select-Object -Last 1 | ConvertFrom-Json
    if ($memory.count -ne $memoryLines) { throw "Get-StudioJobLog -Follow wrote $($memory.count) lines through reconnects, expected $memoryLines." }
    $memoryName = if ($Size -eq 'Full') { 'follow-memory' } else { 'follow-memory-smoke' }
    if ($memory.growth_bytes -ge 0) {
        Add-Figure -Name $memoryName -StudioPS ($memory.growth_bytes / 1MB) -Baseline 32 -Unit 'MiB' -Ratio ($memory.growth_bytes / 1MB / 32) -Target '<=32MiB' `
            -Pass ($memory.growth_bytes -le 32MB) -Note ('{0} lines, {1} connections, each replaying the history' -f $memory.count, $memory.connections)
    }
    else {
        Add-Figure $memoryName ([double]::NaN) 32 'MiB' ([double]::NaN) '<=32MiB' $true 'no /proc: not measured'
    }
    Reset-Emulator $emulator

    # ---- save (issue 15): Save-StudioDataset of an 8-part export against curl fetching the same parts one after another ----
    $saveBytes = if ($Size -eq 'Full') { 1GB } else { 8MB }
    $null = Add-EmulatorDataset $emulator @{ team = $emulator.Team; name = '@bench.data.export'
        versions = @(@{ version = '1.0.0'; size = $saveBytes; parts = 8; part_delay_ms = 0 }) }
    $saveFolder = Join-Path $TempDirectory ('studiops-bench-save-' + [guid]::NewGuid().ToString('N'))
    $curl = Get-Command -Name curl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $save = @{ studiops = @(); curl = @(); growth = @() }
    $saveSettle = if ($Size -eq 'Full') { 3 } else { 0 }
    # Storage sends what the export wrote. The emulator's parts host makes each part the first time it is asked
    # for and keeps it (docs/EMULATOR.md): one unmeasured pass stores them, so no measured save pays for making them.
    $warmExport = Invoke-RestMethod -Headers $headers -NoProxy -Uri ("$api/datasets/export?namespace=%40bench&project=data&name=export&version=1.0.0&source=cli&team_name=" + [uri]::EscapeDataString($emulator.Team))
    $warmClient = [Net.Http.HttpClient]::new([Net.Http.HttpClientHandler]@{ UseProxy = $false })
    try {
        foreach ($url in $warmExport.signed_urls) {
            $body = $warmClient.GetStreamAsync($url).GetAwaiter().GetResult()
            try { $body.CopyTo([IO.Stream]::Null) } finally { $body.Dispose() }
        }
    }
    finally { $warmClient.Dispose() }
    $kept = (Get-EmulatorExportPartRequest $emulator).kept_bytes
    if ($kept -lt $saveBytes) { throw "The emulator kept $kept bytes of the $saveBytes-byte export; the measured saves would make the parts again." }
    try {
        for ($r = 0; $r -lt $Repetitions; $r++) {
            $run = Invoke-Worker 'save-studiops' @{ Dataset = '@bench.data.export'; FilePath = $saveFolder }
            if ($run.count -ne $saveBytes) { throw "Save-StudioDataset saved $($run.count) bytes, expected $saveBytes." }
            $save.studiops += $saveBytes / 1MB / ($run.ms / 1000)
            $save.growth += $run.growth_bytes
            Remove-Item -LiteralPath $saveFolder -Recurse -Force
            # Both sides start a few seconds after the last 1 GiB was deleted: on this VM how soon a write follows
            # such a deletion changed its speed by 20-30 % (in either direction, between probes), and the
            # worker's own start-up already puts its save seconds after one, while curl started at once.
            Start-Sleep -Seconds $saveSettle
            if ($curl) {
                $export = Invoke-RestMethod -Headers $headers -NoProxy -Uri ("$api/datasets/export?namespace=%40bench&project=data&name=export&version=1.0.0&source=cli&team_name=" + [uri]::EscapeDataString($emulator.Team))
                $null = New-Item -ItemType Directory -Path $saveFolder
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $i = 0
                foreach ($url in $export.signed_urls) {
                    & $curl.Source -sS -f -o (Join-Path $saveFolder "part-$i.lz4") $url
                    if ($LASTEXITCODE -ne 0) { throw "curl failed ($LASTEXITCODE) on part $i." }
                    $i++
                }
                $sw.Stop()
                $save.curl += $saveBytes / 1MB / $sw.Elapsed.TotalSeconds
                Remove-Item -LiteralPath $saveFolder -Recurse -Force
                Start-Sleep -Seconds $saveSettle
            }
        }
    }
    finally {
        if (Test-Path -LiteralPath $saveFolder) { Remove-Item -LiteralPath $saveFolder -Recurse -Force }
    }
    $saveName = if ($Size -eq 'Full') { 'save-1g' } else { 'save-smoke' }
    if ($save.curl.Count -gt 0) {
        Add-RatioFigure $saveName (Get-Median $save.studiops) (Get-Median $save.curl) 'MiB/s' '>=' 1.0 'StudioPS also decompresses each LZ4 part; curl keeps them as sent'
    }
    else {
        Add-Figure -Name $saveName -StudioPS (Get-Median $save.studiops) -Baseline ([double]::NaN) -Unit 'MiB/s' -Ratio ([double]::NaN) `
            -Target 'ratio>=1.0' -Pass $true -Note 'no curl baseline: skipped'
    }
    $saveGrowth = Get-Median $save.growth
    if ($saveGrowth -ge 0) {
        Add-Figure -Name 'save-memory' -StudioPS ($saveGrowth / 1MB) -Baseline ($saveBytes / 1MB) -Unit 'MiB' -Ratio ($saveGrowth / $saveBytes) `
            -Target '<=64MiB' -Pass ($saveGrowth -le 64MB)
    }
    else {
        Add-Figure 'save-memory' ([double]::NaN) ($saveBytes / 1MB) 'MiB' ([double]::NaN) '<=64MiB' $true 'no /proc: not measured'
    }
    Reset-Emulator $emulator

    # ---- import: Import-Module StudioPS over a bare start, against PowerShell's own PSResourceGet ----
    # PSResourceGet ships in $PSHOME/Modules: a binary module with a format file, as StudioPS is.
    $moduleRoot = Split-Path -Parent (Split-Path -Parent $ModulePath)
    $childEnv = @{ PSModulePath = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath }
    # -ErrorAction Stop: a module that fails to import fails the run instead of timing as a quick import.
    $importCommands = [ordered]@{
        bare          = 'exit'
        studiops      = 'Import-Module StudioPS -ErrorAction Stop; exit'
        psresourceget = 'Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop; exit'
    }
    $importKinds = @($importCommands.Keys)
    $importMs = @{ bare = @(); studiops = @(); psresourceget = @() }
    if ($Size -eq 'Full') {
        # One unmeasured start of each warms the disk cache.
        foreach ($kind in $importKinds) { $null = Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', $importCommands[$kind] -Environment $childEnv }
    }
    for ($r = 0; $r -lt $sizes.ImportReps; $r++) {
        # The three kinds alternate, their order rotating, so a change in load falls on all of them.
        for ($k = 0; $k -lt $importKinds.Count; $k++) {
            $kind = $importKinds[($r + $k) % $importKinds.Count]
            $importMs[$kind] += (Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', $importCommands[$kind] -Environment $childEnv).Ms
        }
    }
    $script:ScenariosRun['import'] = $true
    $bareMs = Get-Median $importMs.bare
    $studioOver = (Get-Median $importMs.studiops) - $bareMs
    $resourceOver = (Get-Median $importMs.psresourceget) - $bareMs
    $importRatio = if ($resourceOver -gt 0) { $studioOver / $resourceOver } else { [double]::NaN }
    Add-Figure -Name 'import' -StudioPS $studioOver -Baseline $resourceOver -Unit 'ms' -Ratio $importRatio -Target 'ratio<=1' -Pass ($importRatio -le 1.0) `
        -Note ('over a bare start of {0:0} ms, medians of {1} starts each, alternating; StudioPS p25-p75 {2:0}-{3:0} ms, PSResourceGet {4:0}-{5:0} ms' -f
            $bareMs, $sizes.ImportReps, ((Get-Quantile $importMs.studiops 0.25) - $bareMs), ((Get-Quantile $importMs.studiops 0.75) - $bareMs),
            ((Get-Quantile $importMs.psresourceget 0.25) - $bareMs), ((Get-Quantile $importMs.psresourceget 0.75) - $bareMs))

    $cpuLines = foreach ($key in $script:EmulatorCpu.Keys) {
        '{0} {1:0.00}' -f $key, (Get-Median $script:EmulatorCpu[$key].ToArray())
    }
    Write-Host "bench: emulator CPU (cores busy, median): $($cpuLines -join '; ')"
    Write-Host "bench: scenarios run: $(@($script:ScenariosRun.Keys) -join ', ')"
    Write-Host ('bench: finished in {0:0} s' -f $started.Elapsed.TotalSeconds)

    if ($ReportPath) {
        $cpuName = (Get-Content -LiteralPath '/proc/cpuinfo' -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } |
                Select-Object -First 1) -replace '^model name\s*:\s*', ''
        $memory = (Get-Content -LiteralPath '/proc/meminfo' -ErrorAction SilentlyContinue | Select-Object -First 1) -replace '^MemTotal:\s*', ''
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add('<!-- bench:begin -->')
        $lines.Add("Last run: $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC, ``build.ps1 -Task Bench`` ($Size, $Repetitions repetitions, medians, $('{0:0}' -f $started.Elapsed.TotalSeconds) s).")
        $lines.Add('')
        $lines.Add("Machine: $([Environment]::ProcessorCount) cores ($(if ($cpuName) { $cpuName } else { 'unknown CPU' })), $memory RAM, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), .NET $([Environment]::Version), PowerShell $($PSVersionTable.PSVersion), curl $(if ($curl) { ((& $curl.Source --version) | Select-Object -First 1) -replace '^curl (\S+).*', '$1' } else { 'not installed' }).")
        $lines.Add('')
        $lines.Add('| figure | StudioPS | baseline | ratio | target | result |')
        $lines.Add('| --- | --- | --- | --- | --- | --- |')
        foreach ($figure in $figures) {
            $fmt = { param($v) if ([double]::IsNaN($v)) { 'n/a' } else { '{0:0.###} {1}' -f $v, $figure.Unit } }
            $result = $figure.Result + $(if ($figure.Note) { " ($($figure.Note))" } else { '' })
            $lines.Add(('| {0} | {1} | {2} | {3} | {4} | {5} |' -f $figure.Name, (& $fmt $figure.StudioPS).Trim(), (& $fmt $figure.Baseline).Trim(),
                    $(if ([double]::IsNaN($figure.Ratio)) { 'n/a' } else { '{0:0.###}' -f $figure.Ratio }), $figure.Target, $result))
        }
        $lines.Add('')
        $lines.Add("Emulator CPU during each measurement (cores busy, median; the machine has $([Environment]::ProcessorCount)): $($cpuLines -join '; ').")
        $lines.Add('<!-- bench:end -->')
        $block = $lines -join "`n"
        $text = if (Test-Path -LiteralPath $ReportPath) { Get-Content -LiteralPath $ReportPath -Raw } else { '' }
        $pattern = '(?s)<!-- bench:begin -->.*?<!-- bench:end -->'
        $text = if ($text -match $pattern) { [regex]::Replace($text, $pattern, { $block }) } else { $text.TrimEnd() + "`n`n" + $block + "`n" }
        [IO.File]::WriteAllText($ReportPath, $text, [Text.UTF8Encoding]::new($false))
        Write-Host "bench: wrote $ReportPath"
    }
}
finally {
    if ($uploadFile) { Remove-Item -LiteralPath $uploadFile -Force -ErrorAction SilentlyContinue }
    if ($emulator) { Stop-TestEmulator $emulator }
    Exit-IsolatedStudioEnvironment
}
