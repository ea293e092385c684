# The example runbooks under examples/ are documentation a user copies, so each one runs here, in a fresh
# PowerShell against a fresh emulator, exactly as build.ps1 -Task Demo runs examples/runbook.ps1.

BeforeDiscovery {
    $RepoRootForDiscovery = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $Runbooks = @(Get-ChildItem -Path (Join-Path $RepoRootForDiscovery 'examples/*.ps1') -File | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $Examples = Join-Path $RepoRoot 'examples'
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    $SavedModulePath = $env:STUDIOPS_MODULE_PATH
    $env:DATACHAIN_STUDIO_URL = $Emu.Url
    $env:DATACHAIN_STUDIO_TOKEN = $Emu.Token
    $env:DATACHAIN_STUDIO_TEAM = $Emu.Team
    $Work = Join-Path ([IO.Path]::GetTempPath()) ('studiops-examples-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work

    function Invoke-Runbook([string] $Name, [string[]] $ArgumentList = @()) {
        $run = Invoke-ChildPowerShell -File (Join-Path $Examples $Name) -ArgumentList $ArgumentList
        # Shown in the test log when an assertion fails, which is when it is needed.
        Write-Host ($run.Output -join "`n")
        $run
    }
}

AfterAll {
    Stop-TestEmulator $Emu
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
    Exit-IsolatedStudioEnvironment
    $env:STUDIOPS_MODULE_PATH = $SavedModulePath
}

Describe 'Every example runbook' {
    It '<Name> is covered by a test below and runs without prompting' -ForEach $Runbooks {
        $covered = @('runbook.ps1', 'job-exit-code.ps1')
        $Name | Should -BeIn $covered -Because 'a new example needs a test that runs it'
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $Examples $Name), [ref]$null, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        # A runbook documents itself: synopsis and description that Get-Help shows.
        $ast.GetHelpContent().Synopsis | Should -Not -BeNullOrEmpty
        $ast.GetHelpContent().Description | Should -Not -BeNullOrEmpty
        (Get-Content -LiteralPath (Join-Path $Examples $Name) -Raw) | Should -Match "\`$ErrorActionPreference = 'Stop'"
    }
}

Describe 'examples/runbook.ps1' {
    BeforeAll {
        $Run = Invoke-Runbook 'runbook.ps1'
        $Text = $Run.Output -join "`n"
    }

    It 'exits 0' {
        $Run.ExitCode | Should -Be 0
    }

    It 'shows the connection to the emulator with the token masked' {
        $Text | Should -Match ('BaseUri\s+: ' + [regex]::Escape($Emu.Url))
        $Text | Should -Match ('Team\s+: ' + [regex]::Escape($Emu.Team))
        $Text | Should -Not -Match ([regex]::Escape($Emu.Token))
    }

    It 'lists the clusters and uploads both files' {
        $Text | Should -Match 'default-cluster\s+ACTIVE\s+yes'
        $Text | Should -Match 'sample\.csv\s+\d+(\.\d)? (B|KiB)\s+ready'
        $Text | Should -Match 'labels\.json\s+\d+(\.\d)? (B|KiB)\s+ready'
    }

    It "runs the job with -Wait: its log lines, then the job COMPLETE with exit code 0" {
        $Text | Should -Match 'Preparing the training data'
        $Text | Should -Match 'Wrote 3 rows to the dataset'
        $Text | Should -Match 'Name\s+: prepare\.py'
        $Text | Should -Match 'ExitCode\s+: 0'
        $complete = [regex]::Match($Text, 'Status\s+: COMPLETE')
        $complete.Success | Should -BeTrue
        # The log is written while the job runs, before the finished job is shown.
        $Text.IndexOf('Wrote 3 rows to the dataset') | Should -BeLessThan $complete.Index
    }

    It 'waits for the pipeline and draws its tree, every parent before its children' {
        $lines = @($Run.Output)
        $root = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($line) $line -match '^\S+ \[COMPLETED\] 4/4 from @emulator\.demo\.features$' })
        $root | Should -BeGreaterOrEqual 0
        $lines[($root + 1)..($root + 4)] | Should -Be @(
            '├─ @emulator.demo.raw [COMPLETED]'
            '│  └─ @emulator.demo.clean [COMPLETED]'
            '└─ @emulator.demo.labels [COMPLETED]'
            '   └─ @emulator.demo.features [COMPLETED] (also after @emulator.demo.clean)'
        )
    }
}

Describe 'examples/job-exit-code.ps1' {
    It 'exits 0 for a COMPLETE job and prints its log' {
        $run = Invoke-Runbook 'job-exit-code.ps1'
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Contain 'Preparing the training data'
        ($run.Output -join "`n") | Should -Match '(?m)^Job \S+ ended COMPLETE with exit code 0 after \d\d:\d\d:\d\d$'
    }

    It 'exits 1 for a FAILED job and says why' {
        $script = Join-Path $Work 'fails.sh'
        Set-Content -LiteralPath $script -Value "echo 'about to fail'`nexit 3"
        $run = Invoke-Runbook 'job-exit-code.ps1' -ArgumentList '-Path', $script
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Contain 'about to fail'
        ($run.Output -join "`n") | Should -Match 'Job \S+ ended FAILED with exit code 3 after \d\d:\d\d:\d\d: Process exited with code 3'
    }

    It 'cancels a job that runs past -TimeoutSec and exits 2' {
        $script = Join-Path $Work 'slow.sh'
        Set-Content -LiteralPath $script -Value "echo 'working'`nsleep 600"
        $run = Invoke-Runbook 'job-exit-code.ps1' -ArgumentList '-Path', $script, '-TimeoutSec', '2'
        $run.ExitCode | Should -Be 2
        ($run.Output -join "`n") | Should -Match 'did not finish within 2 s; canceling it'
        ($run.Output -join "`n") | Should -Match 'Job \S+ ended CANCELED'
    }

    It 'exits 1 with the error when the script file does not exist, before anything is sent' {
        $run = Invoke-Runbook 'job-exit-code.ps1' -ArgumentList '-Path', (Join-Path $Work 'missing.py')
        $run.ExitCode | Should -Be 1
        ($run.Output -join "`n") | Should -Match 'missing\.py'
    }
}

Describe 'examples/dotnet (a .NET program on StudioPS.Core, no PowerShell)' {
    BeforeAll {
        # Built by build.ps1 with the solution, in the configuration the emulator was built in.
        $configuration = Split-Path -Leaf (Split-Path (Split-Path $env:STUDIOPS_EMULATOR_PATH))
        $ExampleDll = Join-Path $Examples "dotnet/bin/$configuration/net10.0/StudioPS.Example.dll"
        # Under `dotnet pwsh` the host process is dotnet itself.
        $Dotnet = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { [Environment]::ProcessPath } else { 'dotnet' }
        function Invoke-DotnetExample([string] $Query) {
            $output = & $Dotnet $ExampleDll $Query 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($output | ForEach-Object { "$_" }) -join "`n" }
        }
    }

    It 'connects from the datachain settings, lists the clusters, runs a job and follows its log to exit code 0' {
        $run = Invoke-DotnetExample "print('hello from .NET')`nprint('second line')"
        Write-Host $run.Text
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match ('Connected to ' + [regex]::Escape($Emu.Url) + '.* as team ' + [regex]::Escape($Emu.Team))
        $run.Text | Should -Not -Match ([regex]::Escape($Emu.Token))
        $run.Text | Should -Match 'Cluster default-cluster ACTIVE \(default\)'
        $run.Text | Should -Match '(?s)\| hello from \.NET\s+\| second line'
        $run.Text | Should -Match 'Job \S+ ended COMPLETE with exit code 0\.'
    }

    It 'exits 1 for a job that fails' {
        $run = Invoke-DotnetExample "print('about to fail')`nsys.exit(3)"
        $run.ExitCode | Should -Be 1
        $run.Text | Should -Match '\| about to fail'
        $run.Text | Should -Match 'ended FAILED with exit code 3\.'
    }
}
