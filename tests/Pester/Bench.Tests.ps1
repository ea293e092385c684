# The benchmark script (bench/Invoke-StudioBench.ps1) at tiny sizes, so build.ps1 -Task Bench keeps working.
# It checks that every figure is measured and reported, never how fast anything is: a slow machine must not
# fail the tests. No curl is needed (the smoke run has no curl baseline).
# -ColdStart gives every child PowerShell empty cache, data and config folders: a worker that only starts
# where an earlier PowerShell left its caches (a type named before its assembly is loaded) fails here on any
# machine, not only on a new one.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $ReportPath = Join-Path ([IO.Path]::GetTempPath()) ('studiops-bench-' + [guid]::NewGuid().ToString('N') + '.md')
    # An existing report keeps the text around its table: only the marked block is replaced.
    Set-Content -LiteralPath $ReportPath -Value "# Report`n`nKept above.`n`n<!-- bench:begin -->`nold`n<!-- bench:end -->`n`nKept below." -Encoding utf8NoBOM
    $Run = Invoke-ChildPowerShell -File (Join-Path $RepoRoot 'bench/Invoke-StudioBench.ps1') -ArgumentList @(
        '-ModulePath', $env:STUDIOPS_MODULE_PATH, '-EmulatorPath', $env:STUDIOPS_EMULATOR_PATH,
        '-Size', 'Smoke', '-Repetitions', '1', '-ReportPath', $ReportPath, '-ColdStart')
    $Report = if (Test-Path -LiteralPath $ReportPath) { Get-Content -LiteralPath $ReportPath -Raw } else { '' }
}

AfterAll {
    Remove-Item -LiteralPath $ReportPath -ErrorAction SilentlyContinue
}

Describe 'bench/Invoke-StudioBench.ps1 -Size Smoke' {
    It 'finishes with exit code 0' {
        $Run.ExitCode | Should -Be 0 -Because ($Run.Output -join "`n")
    }

    It 'prints one result line per figure' {
        $lines = @($Run.Output | Where-Object { $_ -match '^bench: \S+ studiops=\S+ baseline=\S+ ratio=\S+ target=\S+ (PASS|MISS)' })
        $names = @($lines | ForEach-Object { ($_ -split ' ')[1] })
        $names | Should -Be @('per-call', 'per-call-floor', 'per-call-parts', 'upload-smoke', 'upload-memory', 'list-smoke',
            'list-first', 'list-memory', 'wait-smoke', 'follow-smoke', 'follow-smoke-parts', 'follow-smoke-minimal', 'follow-memory-smoke', 'save-smoke', 'save-memory', 'import')
    }

    It 'runs every scenario bench/BenchWorker.ps1 offers, and the import starts' {
        $worker = Get-Command -Name (Join-Path $RepoRoot 'bench/BenchWorker.ps1')
        $scenarios = @($worker.Parameters['Scenario'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
        $scenarios.Count | Should -BeGreaterThan 0
        $line = $Run.Output | Where-Object { $_ -like 'bench: scenarios run: *' } | Select-Object -Last 1
        $line | Should -Not -BeNullOrEmpty -Because ($Run.Output -join "`n")
        $run = @(($line -replace '^bench: scenarios run: ', '') -split ', ')
        ($run | Sort-Object) | Should -Be (@($scenarios) + 'import' | Sort-Object)
    }

    It 'measures real numbers, not placeholders' {
        foreach ($name in 'per-call', 'per-call-floor', 'per-call-parts') {
            $line = $Run.Output | Where-Object { $_ -like "bench: $name *" } | Select-Object -First 1
            $line | Should -Match 'studiops=\d+(\.\d+)?ms baseline=\d+(\.\d+)?ms ratio=\d+(\.\d+)? '
            # The spread of two paired blocks (one repetition of two rounds) is reported with the figure.
            $line | Should -Match 'median of 2 paired blocks of 5 calls; ratio p25-p75 \d+\.\d\d-\d+\.\d\d'
        }
        $import = $Run.Output | Where-Object { $_ -like 'bench: import *' } | Select-Object -First 1
        $import | Should -Match 'target=ratio<=1 (PASS|MISS) \(over a bare start of [1-9]\d* ms'
        $wait = $Run.Output | Where-Object { $_ -like 'bench: wait-smoke *' } | Select-Object -First 1
        # Two poll rounds over five jobs: a request or two per round, never one per job.
        $wait | Should -Match 'studiops=[1-4] baseline=10 '
        # The follow's floor, a compiled minimal cmdlet over the same stream, is measured and named.
        $minimal = $Run.Output | Where-Object { $_ -like 'bench: follow-smoke-minimal *' } | Select-Object -First 1
        $minimal | Should -Match 'studiops=\d+(\.\d+)?ms baseline=\d+(\.\d+)?ms ratio=\d+(\.\d+)? '
        $follow = $Run.Output | Where-Object { $_ -like 'bench: follow-smoke *' } | Select-Object -First 1
        $follow | Should -Match 'the least a compiled cmdlet writing the lines takes: \d+(\.\d+)? ms'
        $save = $Run.Output | Where-Object { $_ -like 'bench: save-smoke *' } | Select-Object -First 1
        $save | Should -Match 'studiops=\d+(\.\d+)?MiB/s'
    }

    It 'replaces only the marked block of the report and keeps the text around it' {
        $Report | Should -Match 'Kept above\.'
        $Report | Should -Match 'Kept below\.'
        $Report | Should -Not -Match '(?m)^old$'
        $Report | Should -Match '\| figure \| StudioPS \| baseline \| ratio \| target \| result \|'
        $Report | Should -Match '\| list-first \| \d'
        $Report | Should -Match 'Machine: \d+ cores'
    }
}
