# Every exit-code example the documentation shows (docs/help/*.md, about_StudioPS, README.md, examples/)
# runs here as a runbook: the snippet's own text, read from the document, in a fresh pwsh process
# (-NonInteractive -File), against the emulator, in the cases a scheduler meets: no token, a missing
# script, a job that FAILS, a job canceled from elsewhere, and a job that completes. When a document's
# snippet changes, this test runs the new text; a new exit-code snippet needs a line in $Expected.

BeforeDiscovery {
    $RepoRootForDiscovery = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath

    function Get-ExitCodeSnippet([string] $RepoRoot) {
        $exitLine = '(?m)^\s*exit\b'
        # Help files: the ```powershell fence of each "### Example N: title".
        foreach ($file in Get-ChildItem -Path (Join-Path $RepoRoot 'docs/help/*-*.md') -File) {
            $text = (Get-Content -LiteralPath $file.FullName -Raw) -replace "`r`n", "`n"
            foreach ($m in [regex]::Matches($text, '(?ms)^### (Example \d+):[^\n]*\n```powershell\n(.*?)\n```')) {
                if ($m.Groups[2].Value -match $exitLine) {
                    @{ Source = "$($file.Name) $($m.Groups[1].Value)"; Code = $m.Groups[2].Value; File = $null }
                }
            }
        }
        # about_StudioPS: an indented block (lines of the same indentation) that ends with an exit line.
        $about = @((Get-Content -LiteralPath (Join-Path $RepoRoot 'docs/help/about_StudioPS.md')) -replace "`r$", '')
        $number = 0
        for ($i = 0; $i -lt $about.Count; $i++) {
            if ($about[$i] -match '^(\s+)exit\b') {
                $indent = $Matches[1]
                $start = $i
                while ($start -gt 0 -and $about[$start - 1] -match "^$indent\S") { $start-- }
                $number++
                @{ Source = "about_StudioPS.md #$number"; Code = ($about[$start..$i] | ForEach-Object { $_.Substring($indent.Length) }) -join "`n"; File = $null }
            }
        }
        # README.md: each ```powershell fence with an exit line.
        $readme = (Get-Content -LiteralPath (Join-Path $RepoRoot 'README.md') -Raw) -replace "`r`n", "`n"
        $number = 0
        foreach ($m in [regex]::Matches($readme, '(?ms)^```powershell\n(.*?)\n```')) {
            if ($m.Groups[1].Value -match $exitLine) {
                $number++
                @{ Source = "README.md #$number"; Code = $m.Groups[1].Value; File = $null }
            }
        }
        # examples/: a runbook that sets its exit code runs whole, as a scheduler would run it.
        foreach ($file in Get-ChildItem -Path (Join-Path $RepoRoot 'examples/*.ps1') -File) {
            if ((Get-Content -LiteralPath $file.FullName -Raw) -match $exitLine) {
                @{ Source = "examples/$($file.Name)"; Code = $null; File = $file.FullName }
            }
        }
    }

    # What each snippet must exit with, per case. A case left out does not apply to that snippet.
    $Expected = @{
        'README.md #1'               = @{ NoToken = 1; MissingFile = 1; Failed = 1; Canceled = 2; Complete = 0 }
        'about_StudioPS.md #1'       = @{ NoToken = 1; MissingFile = 1; Failed = 1; Canceled = 2; Complete = 0 }
        'New-StudioJob.md Example 3' = @{ NoToken = 1; MissingFile = 1; Failed = 1; Canceled = 2; Complete = 0 }
        'Stop-StudioJob.md Example 2' = @{ NoToken = 1; MissingFile = 1; Failed = 1; Canceled = 2; Complete = 0 }
        'Get-StudioJob.md Example 2' = @{ NoToken = 1; Failed = 1; Complete = 0 }
        'examples/job-exit-code.ps1' = @{ NoToken = 1; MissingFile = 1; Failed = 1; Canceled = 2; Complete = 0 }
    }

    $Snippets = @(Get-ExitCodeSnippet -RepoRoot $RepoRootForDiscovery)
    $Cases = foreach ($snippet in $Snippets) {
        $codes = $Expected[$snippet.Source]
        if (-not $codes) { continue }
        foreach ($case in 'NoToken', 'MissingFile', 'Failed', 'Canceled', 'Complete') {
            if ($codes.ContainsKey($case)) {
                @{ Source = $snippet.Source; Code = $snippet.Code; File = $snippet.File; Case = $case; ExitCode = $codes[$case] }
            }
        }
    }
    $Found = @($Snippets | ForEach-Object Source)
    $Listed = @($Expected.Keys)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    $Connection = Connect-Studio -BaseUri $Emu.Url -Token $Emu.Token -Team $Emu.Team -PassThru
    $Work = Join-Path ([IO.Path]::GetTempPath()) ('studiops-runbooks-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work
    # The folder that holds the built module's folder: on PSModulePath, the snippets' cmdlets load by name.
    $ModuleRoot = Split-Path -Parent (Split-Path -Parent $env:STUDIOPS_MODULE_PATH)

    $Scripts = @{
        Complete = "print('ok')"
        Failed   = "print('starting')`nraise ValueError('bad input data')"
        Canceled = "print('starting')`ntime.sleep(600)"
        NoToken  = "print('ok')"
    }

    function Invoke-Runbook([hashtable] $Case) {
        Reset-Emulator $Emu
        $dir = Join-Path $Work ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        if ($Scripts.ContainsKey($Case.Case)) {
            Set-Content -LiteralPath (Join-Path $dir 'train.py') -Value $Scripts[$Case.Case] -Encoding utf8NoBOM
        }
        if ($Case.Case -eq 'Failed') {
            # For a snippet that reads last night's failures, a failed job exists before it runs.
            $null = New-StudioJob -Query "raise ValueError('earlier failure')" -Wait -NoLog -PollIntervalSec 1 -Connection $Connection -ErrorAction SilentlyContinue
        }
        $runbook = $Case.File
        if (-not $runbook) {
            $runbook = Join-Path $dir 'runbook.ps1'
            Set-Content -LiteralPath $runbook -Value $Case.Code -Encoding utf8NoBOM
        }

        $processPath = [Environment]::ProcessPath
        $start = [System.Diagnostics.ProcessStartInfo]::new($processPath)
        if ([IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $runbook) { $start.ArgumentList.Add($a) }
        if ($Case.File) { $start.ArgumentList.Add('-Path'); $start.ArgumentList.Add((Join-Path $dir 'train.py')); $start.ArgumentList.Add('-TimeoutSec'); $start.ArgumentList.Add('300') }
        $start.WorkingDirectory = $dir
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.Environment['DATACHAIN_STUDIO_URL'] = $Emu.Url
        $start.Environment['DATACHAIN_STUDIO_TEAM'] = $Emu.Team
        if ($Case.Case -eq 'NoToken') { $null = $start.Environment.Remove('DATACHAIN_STUDIO_TOKEN') }
        else { $start.Environment['DATACHAIN_STUDIO_TOKEN'] = $Emu.Token }
        $start.Environment['PSModulePath'] = $ModuleRoot + [IO.Path]::PathSeparator + $start.Environment['PSModulePath']
        $start.Environment['STUDIOPS_MODULE_PATH'] = $env:STUDIOPS_MODULE_PATH
        $start.Environment['NO_COLOR'] = '1'

        $process = [System.Diagnostics.Process]::Start($start)
        try {
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if ($Case.Case -eq 'Canceled') {
                # Canceled from elsewhere: once the runbook's job runs, this process cancels it.
                $deadline = [DateTime]::UtcNow.AddSeconds(120)
                $job = $null
                while (-not $job -and [DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
                    $job = Get-EmulatorJob $Emu | Where-Object { $_.status -eq 'RUNNING' } | Select-Object -First 1
                    if (-not $job) { Start-Sleep -Milliseconds 100 }
                }
                if ($job) { Stop-StudioJob -Id $job.id -Connection $Connection }
            }
            if (-not $process.WaitForExit(240000)) {
                throw "the runbook for $($Case.Source) ($($Case.Case)) did not end within 240 s"
            }
            $process.WaitForExit()
            [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $process.Dispose()
        }
    }
}

AfterAll {
    Stop-TestEmulator $Emu
    if ($Connection) { Disconnect-Studio -Connection $Connection -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
    Exit-IsolatedStudioEnvironment
}

Describe 'The exit-code examples of the documentation' {
    It 'are all known to this test (a new one needs its expected exit codes in $Expected)' -ForEach @{ Found = $Found; Listed = $Listed } {
        $Found | Should -Not -BeNullOrEmpty
        foreach ($source in $Found) { $source | Should -BeIn $Listed -Because 'every exit-code snippet is run as a runbook' }
        foreach ($source in $Listed) { $source | Should -BeIn $Found -Because 'a snippet this test expects was not found in the documents (renamed or removed?)' }
    }

    It '<Source> exits <ExitCode> when <Case>' -ForEach $Cases {
        $run = Invoke-Runbook $_
        $run.ExitCode | Should -Be $ExitCode -Because $run.Output
    }
}
