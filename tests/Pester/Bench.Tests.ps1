# The benchmark script (bench/Invoke-StudioBench.ps1) at tiny sizes, so build.ps1 -Task Bench keeps working.
# It checks that every figure is measured and reported, never how fast anything is: a slow machine must not
# fail the tests. No curl is needed (the smoke run has no curl baseline).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $ReportPath = Join-Path ([IO.Path]::GetTempPath()) ('studiops-bench-' + [guid]::NewGuid().ToString('N') + '.md')
    # An existing report keeps the text around its table: only the marked block is replaced.
    Set-Content -LiteralPath $ReportPath -Value "# Report`n`nKept above.`n`n<!-- bench:begin -->`nold`n<!-- bench:end -->`n`nKept below." -Encoding utf8NoBOM
    $Run = Invoke-ChildPowerShell -File (Join-Path $RepoRoot 'bench/Invoke-StudioBench.ps1') -ArgumentList @(
        '-ModulePath', $env:STUDIOPS_MODULE_PATH, '-EmulatorPath', $env:STUDIOPS_EMULATOR_PATH,
        '-Size', 'Smoke', '-Repetitions', '1', '-ReportPath', $ReportPath)
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
        $names | Should -Be @('per-call', 'per-call-floor', 'upload-smoke', 'upload-memory', 'list-smoke', 'list-first',
            'list-memory', 'wait-smoke', 'import')
    }

    It 'measures real numbers, not placeholders' {
        $line = $Run.Output | Where-Object { $_ -like 'bench: per-call *' } | Select-Object -First 1
        $line | Should -Match 'studiops=\d+(\.\d+)?ms baseline=\d+(\.\d+)?ms'
        $wait = $Run.Output | Where-Object { $_ -like 'bench: wait-smoke *' } | Select-Object -First 1
        # Two poll rounds over five jobs: a request or two per round, never one per job.
        $wait | Should -Match 'studiops=[1-4] baseline=10 '
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
