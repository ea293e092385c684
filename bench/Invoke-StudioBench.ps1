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
    [string] $TempDirectory = [IO.Path]::GetTempPath()
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
    @{ Calls = 500; Jobs = 50000; UploadBytes = 1GB; WaitJobs = 100; WaitRounds = 10 }
}
else {
    @{ Calls = 10; Jobs = 500; UploadBytes = 4MB; WaitJobs = 5; WaitRounds = 2 }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return [double]$sorted[[int][Math]::Floor($n / 2)] }
    ([double]$sorted[$n / 2 - 1] + [double]$sorted[$n / 2]) / 2
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
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($startInfo)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    $sw.Stop()
    if ($process.ExitCode -ne 0) {
        throw "pwsh $($ArgumentList -join ' ') exited with code $($process.ExitCode):`n$stdout`n$($stderr.Result)"
    }
    [pscustomobject]@{ Ms = $sw.Elapsed.TotalMilliseconds; Output = $stdout }
}

$script:EmulatorCpu = [ordered]@{}

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
    $emulator = Start-TestEmulator -EmulatorPath $EmulatorPath
    Write-Host "bench: emulator $($emulator.Url), size $Size, $Repetitions repetition(s)"
    $headers = @{ Authorization = "Bearer $($emulator.Token)" }
    $api = $emulator.Url.TrimEnd('/') + '/api/datachain'

    # ---- per-call: 500 sequential calls ----
    $perCall = @{ studiops = @(); irm = @(); httpclient = @() }
    for ($r = 0; $r -lt $Repetitions; $r++) {
        foreach ($kind in 'studiops', 'irm', 'httpclient') {
            $perCall[$kind] += (Invoke-Worker "percall-$kind" @{ Count = $sizes.Calls }).ms
        }
    }
    $studioMs = Get-Median $perCall.studiops
    Add-RatioFigure 'per-call' ($studioMs / $sizes.Calls) ((Get-Median $perCall.irm) / $sizes.Calls) 'ms' '<=' 0.8
    Add-RatioFigure 'per-call-floor' ($studioMs / $sizes.Calls) ((Get-Median $perCall.httpclient) / $sizes.Calls) 'ms' '<=' 1.5

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
    $null = Invoke-RestMethod -Method Post -Uri "$($emulator.Url)/_emulator/seed-jobs" -ContentType 'application/json' `
        -Body (ConvertTo-Json @{ count = $sizes.Jobs; team = $emulator.Team; status = 'COMPLETE' }) -NoProxy
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
        $null = Invoke-RestMethod -Method Post -Uri "$($emulator.Url)/_emulator/seed-jobs" -ContentType 'application/json' `
            -Body (ConvertTo-Json @{ count = $sizes.WaitJobs; team = $emulator.Team; status = 'RUNNING' }) -NoProxy
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

    # ---- import: Import-Module StudioPS in a fresh pwsh, over a bare start ----
    $moduleRoot = Split-Path -Parent (Split-Path -Parent $ModulePath)
    $childEnv = @{ PSModulePath = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath }
    # The reference: a module that is only a manifest, so what PowerShell charges for any Import-Module.
    $emptyModule = Join-Path $TempDirectory ('studiops-bench-empty-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $emptyModule
    Set-Content -LiteralPath (Join-Path $emptyModule 'Empty.psd1') -Value "@{ ModuleVersion = '1.0.0' }" -Encoding utf8NoBOM
    $emptyCommand = "Import-Module '$(Join-Path $emptyModule 'Empty.psd1')'; exit"
    $bare = @(); $imported = @(); $empty = @()
    $importReps = [Math]::Max($Repetitions, 5)
    if ($Size -eq 'Smoke') { $importReps = 1 }
    if ($Size -eq 'Full') {
        # One unmeasured start of each warms the disk cache.
        $null = Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', 'exit' -Environment $childEnv
        $null = Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', 'Import-Module StudioPS; exit' -Environment $childEnv
    }
    for ($r = 0; $r -lt $importReps; $r++) {
        $bare += (Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', 'exit' -Environment $childEnv).Ms
        $imported += (Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', 'Import-Module StudioPS; exit' -Environment $childEnv).Ms
        $empty += (Invoke-Child -ArgumentList '-NoProfile', '-NonInteractive', '-c', $emptyCommand -Environment $childEnv).Ms
    }
    Remove-Item -LiteralPath $emptyModule -Recurse -Force
    $bareMs = Get-Median $bare
    $overMs = (Get-Median $imported) - $bareMs
    Add-Figure -Name 'import' -StudioPS $overMs -Baseline $bareMs -Unit 'ms' -Ratio ($overMs / $bareMs) -Target '<=150ms' -Pass ($overMs -le 150) `
        -Note ('importing a manifest-only module costs {0:0} ms over the bare start' -f ((Get-Median $empty) - $bareMs))

    $cpuLines = foreach ($key in $script:EmulatorCpu.Keys) {
        '{0} {1:0.00}' -f $key, (Get-Median $script:EmulatorCpu[$key].ToArray())
    }
    Write-Host "bench: emulator CPU (cores busy, median): $($cpuLines -join '; ')"
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
