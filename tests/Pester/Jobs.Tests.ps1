# The job cmdlets against the emulator, as a runbook uses them: upload, run, follow, fail, cancel, wait.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    $Work = Join-Path ([IO.Path]::GetTempPath()) ('studiops-jobs-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work

    function Set-WebSocketFault([hashtable] $Fault) {
        if ($Fault) { $null = Invoke-EmulatorControl -Emulator $Emu -Method Post -Path 'ws-faults' -Body $Fault }
        else { $null = Invoke-EmulatorControl -Emulator $Emu -Method Delete -Path 'ws-faults' }
    }
    function Get-ApiRequest { @(Get-EmulatorRequest $Emu | Where-Object path -like '/api/*') }
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
    Exit-IsolatedStudioEnvironment
}

Describe 'A runbook that runs a job' {
    It 'uploads two files, runs a job that uses them with -Wait, reads its log and gets COMPLETE' {
        $data = Set-Content -LiteralPath (Join-Path $Work 'data.csv') -Value "a,b`n1,2" -PassThru
        $null = Set-Content -LiteralPath (Join-Path $Work 'labels.json') -Value '{"x": 1}'
        $script = Join-Path $Work 'train.py'
        Set-Content -LiteralPath $script -Value "print('loading data.csv')`nprint('training done')"

        $files = Get-ChildItem -LiteralPath $Work -Filter '*.*' | Where-Object Extension -in '.csv', '.json' | Send-StudioFile
        $files.Count | Should -Be 2
        $files | ForEach-Object { $_ | Should -BeOfType 'StudioPS.Models.StudioFile'; $_.State | Should -Be 'ready' }
        ($files | Where-Object FileName -eq 'data.csv').Size | Should -Be (Get-Item -LiteralPath (Join-Path $Work 'data.csv')).Length

        $job = New-StudioJob -Path $script -FileId $files.Id -Environment @{ STAGE = 'test' } -Wait -InformationVariable logLines
        $job | Should -BeOfType 'StudioPS.Models.StudioJob'
        $job.Status | Should -Be 'COMPLETE'
        $job.ExitCode | Should -Be 0
        $job.Name | Should -Be 'train.py'
        $job.QueryType | Should -Be 'PYTHON'
        $job.Environment['STAGE'] | Should -Be 'test'
        @($logLines | Where-Object { $_.Tags -contains 'StudioLog' } | ForEach-Object { "$($_.MessageData)" }) |
            Should -Be @('loading data.csv', 'training done')

        Get-StudioJobLog -Id $job.Id | Should -Be @('loading data.csv', 'training done')
        (Get-StudioJob -Id $job.Id).Status | Should -Be 'COMPLETE'
    }

    It 'uploads the files given to -File first and sends their ids' {
        $file = Join-Path $Work 'input.txt'
        Set-Content -LiteralPath $file -Value 'x'
        Clear-EmulatorRequest $Emu
        $job = New-StudioJob -Query "print('ok')" -File $file
        $requests = Get-ApiRequest
        $requests[0].path | Should -Be '/api/datachain/jobs/files'
        $requests[1].method | Should -Be 'POST'
        $requests[1].path | Should -Be '/api/datachain/jobs/'
        $job.Id | Should -Not -BeNullOrEmpty
    }

    It 'fails New-StudioJob -Wait -ErrorAction Stop with the job''s exit code and message' {
        $err = { New-StudioJob -Query "print('starting')`nraise ValueError('schema mismatch')" -Name failing -Wait -ErrorAction Stop 6>$null } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'JobFailed,StudioPS.Commands.NewStudioJobCommand'
        $err.Exception.Message | Should -BeLike '*(failing) FAILED with exit code 1: schema mismatch*'
        $err.Exception.ExitCode | Should -Be 1
        $err.TargetObject.Status | Should -Be 'FAILED'
    }

    It 'waits without logs with -NoLog and keeps a sys.exit code' {
        $job = New-StudioJob -Query "print('quiet')`nsys.exit(3)" -Wait -NoLog -PollIntervalSec 1 -InformationVariable logLines -ErrorAction SilentlyContinue -ErrorVariable errs
        $job.Status | Should -Be 'FAILED'
        $job.ExitCode | Should -Be 3
        @($logLines | Where-Object { $_.Tags -contains 'StudioLog' }).Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -Be 'JobFailed,StudioPS.Commands.NewStudioJobCommand'
    }

    It 'does not wait on a scheduled job and says so' {
        $job = New-StudioJob -Query "print('later')" -StartAfter ([DateTimeOffset]::UtcNow.AddHours(2)) -Wait -WarningVariable warnings 3>$null
        $job.Status | Should -Be 'SCHEDULED'
        "$warnings" | Should -BeLike '*scheduled to start after*does not wait*'
        Stop-StudioJob -Id $job.Id
    }

    It 'emits a complete job even when the create response holds only some fields' {
        $null = Set-EmulatorOption $Emu @{ partial_create_response = $true }
        try {
            $job = New-StudioJob -Query "print('partial')" -Name partial
            $job.Name | Should -Be 'partial'
            $job.Status | Should -Not -BeNullOrEmpty
            $job.CreatedAt | Should -Not -BeNullOrEmpty
            $job.Query | Should -Be "print('partial')"
        }
        finally {
            $null = Set-EmulatorOption $Emu @{ partial_create_response = $false }
        }
    }
}

Describe 'Stop-StudioJob' {
    It 'cancels a running job and -Wait -PassThru returns it CANCELED without an error' {
        $job = New-StudioJob -Query "print('long')`ntime.sleep(60)" -Name long
        $stopped = Stop-StudioJob -Id $job.Id -Wait -PassThru -PollIntervalSec 1 -ErrorVariable errs
        $stopped.Status | Should -Be 'CANCELED'
        $errs.Count | Should -Be 0
    }

    It 'cancels nothing with -WhatIf, from the pipeline, and reads each job once to name it' {
        $running = New-StudioJob -Query "time.sleep(60)" -Name whatif
        Start-Sleep -Milliseconds 300
        Clear-EmulatorRequest $Emu
        $listed = @(Get-StudioJob -Status RUNNING, QUEUED, INIT, CREATED)
        $listed | Stop-StudioJob -WhatIf
        @(Get-ApiRequest | Where-Object method -eq 'POST').Count | Should -Be 0
        @(Get-ApiRequest).Count | Should -Be (1 + $listed.Count) -Because 'the list, then one read per job for its name'
        Stop-StudioJob -Id $running.Id
    }

    It 'sends no read for a name when nothing will be shown (no -WhatIf, no prompt)' {
        $running = New-StudioJob -Query "time.sleep(60)" -Name quiet
        Clear-EmulatorRequest $Emu
        Stop-StudioJob -Id $running.Id
        @(Get-ApiRequest | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @("POST /api/datachain/jobs/$($running.Id)/cancel")
    }

    It 'names the job by its name and status in -WhatIf, as a person knows it (a real pwsh)' {
        $running = New-StudioJob -Query "time.sleep(6000)" -Name nightly-train
        $command = "Import-Module '$env:STUDIOPS_MODULE_PATH'; Connect-Studio -Token '$($Emu.Token)' -BaseUri '$($Emu.Url)' -Team '$($Emu.Team)'; Stop-StudioJob -Id '$($running.Id)' -WhatIf"
        $run = Invoke-ChildPowerShell -Command $command
        $text = $run.Output -join "`n"
        $text | Should -Match ([regex]::Escape("What if: Performing the operation `"Cancel`" on target `"job 'nightly-train' (")) -Because $text
        $text | Should -Match ([regex]::Escape("id $($running.Id)) in team '$($Emu.Team)'"))
        Stop-StudioJob -Id $running.Id
    }

    It 'reports cancelling a finished job as the server''s error' {
        $done = New-StudioJob -Query "print('x')" -Wait 6>$null
        $null = Stop-StudioJob -Id $done.Id -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'Studio.BadRequest,StudioPS.Commands.StopStudioJobCommand'
        $errs[0].Exception.Message | Should -BeLike '*already finished*'
    }
}

Describe 'Get-StudioJob' {
    It 'lists newest first, filters by status and limits with -First' {
        $all = @(Get-StudioJob)
        $all.Count | Should -BeGreaterThan 3
        @(Get-StudioJob -First 2).Count | Should -Be 2
        (Get-StudioJob -First 1).Id | Should -Be $all[0].Id
        Get-StudioJob -Status complete | ForEach-Object { $_.Status | Should -Be 'COMPLETE' }
        (Get-EmulatorRequest $Emu)[-1].query | Should -BeLike '*status=COMPLETE*'
    }

    It 'sends a status the module does not know' {
        Clear-EmulatorRequest $Emu
        @(Get-StudioJob -Status SOMETHING_NEW -WarningVariable warned 3>$null).Count | Should -Be 0
        "$warned" | Should -BeLike "'SOMETHING_NEW' is not a job status StudioPS knows (CREATED, *); it is sent as given."
        $null = Get-StudioJob -Status running -WarningVariable none 3>$null
        $none.Count | Should -Be 0
        (Get-ApiRequest)[0].query | Should -BeLike '*status=SOMETHING_NEW*'
    }

    It 'reads jobs by id from the pipeline and reports an unknown id as ObjectNotFound' {
        $job = New-StudioJob -Query "print('x')"
        ($job | Get-StudioJob).Id | Should -Be $job.Id
        $null = Get-StudioJob -Id '00000000-0000-0000-0000-000000000000' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be '00000000-0000-0000-0000-000000000000'
    }

    It 'adds steps with -IncludeSteps' {
        $job = New-StudioJob -Query "print('x')" -Wait 6>$null
        (Get-StudioJob -Id $job.Id -IncludeSteps).Steps.Name | Should -Contain 'run'
    }
}

Describe 'Wait-StudioJob' {
    It 'waits for jobs from the pipeline, emits each, and errors for the failed one' {
        $jobs = @(
            New-StudioJob -Query "time.sleep(1)`nprint('a')" -Name ok
            New-StudioJob -Query "time.sleep(2)`nsys.exit(2)" -Name bad
        )
        Clear-EmulatorRequest $Emu
        $done = $jobs | Wait-StudioJob -PollIntervalSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        ($done | Sort-Object Name).Status | Should -Be @('FAILED', 'COMPLETE')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'JobFailed,StudioPS.Commands.WaitStudioJobCommand'
        $errs[0].Exception.Message | Should -BeLike '*(bad) FAILED with exit code 2*'
        $rounds = @(Get-ApiRequest)
        @($rounds | Where-Object query -like '*job_id*').Count | Should -BeLessOrEqual 2 -Because 'jobs are polled through the list, not one by one'
    }

    It 'gives an OperationTimeout error for a job still running at -Timeout' {
        $job = New-StudioJob -Query "time.sleep(120)" -Name slow
        $null = Wait-StudioJob -Id $job.Id -Timeout 1 -PollIntervalSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'WaitTimeout,StudioPS.Commands.WaitStudioJobCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        Stop-StudioJob -Id $job.Id
    }
}

Describe 'Get-StudioJobLog -Follow' {
    AfterEach { Set-WebSocketFault $null; $null = Set-EmulatorOption $Emu @{ logs_websocket = $true } }

    It 'prints every line exactly once and in order through forced socket drops' {
        Set-WebSocketFault @{ drop_after_frames = 4 }
        # Lines for a few seconds, so the follow attaches while they are still coming: a follow that attached
        # after the last line got the history in one frame and was never dropped.
        $job = New-StudioJob -Query "# emulator: lines=300 interval_ms=200 prefix=line" -Name chatty
        $output = Get-StudioJobLog -Id $job.Id -Follow -Verbose 4>&1
        $lines = @($output | Where-Object { $_ -is [string] })
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $lines | Should -Be @(1..300 | ForEach-Object { "line $_" })
        @(Get-EmulatorRequest $Emu | Where-Object path -like '/api/logs/follow*').Count | Should -BeGreaterOrEqual 2
        $verbose | Should -Contain ($verbose | Where-Object { $_ -like 'The log stream was reconnected * time(s); no line was repeated.' } | Select-Object -First 1)
        @($verbose | Where-Object { $_ -like 'The log stream was reconnected*' }).Count | Should -Be 1
    }

    It 'falls back to polling the REST log where the websocket is not served' {
        $null = Set-EmulatorOption $Emu @{ logs_websocket = $false }
        $job = New-StudioJob -Query "print('one')`ntime.sleep(1)`nprint('two')"
        @(Get-StudioJobLog -Id $job.Id -Follow) | Should -Be @('one', 'two')
    }

    It 'fails at once for a job that does not exist' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $err = { Get-StudioJobLog -Id 'no-such-job' -Follow -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
    }
}

BeforeDiscovery {
    # Each case runs in the test's scope, where $Work, $folder, $script and $badEnv exist.
    $BadInputCases = @(
        @{ Name = 'an empty query'; Run = { New-StudioJob -Query '' }; Id = 'EmptyQuery'; Param = '-Query' }
        @{ Name = 'a missing script'; Run = { New-StudioJob -Path (Join-Path $Work 'missing.py') }; Id = 'FileNotFound'; Param = '-Path' }
        @{ Name = 'a folder as script'; Run = { New-StudioJob -Path $folder }; Id = 'PathIsDirectory'; Param = '-Path' }
        @{ Name = 'cluster name and id'; Run = { New-StudioJob -Query 'x' -ClusterName a -ClusterId 1 }; Id = 'ClusterNameAndId'; Param = '-ClusterName' }
        @{ Name = 'a malformed cron'; Run = { New-StudioJob -Query 'x' -Cron '* * *' }; Id = 'InvalidCron'; Param = '-Cron' }
        @{ Name = 'an environment key with ='; Run = { New-StudioJob -Query 'x' -Environment @{ 'A=B' = 1 } }; Id = 'InvalidEnvironmentKey'; Param = '-Environment' }
        @{ Name = 'an environment key with a newline'; Run = { New-StudioJob -Query 'x' -Environment @{ "A`nB" = 1 } }; Id = 'InvalidEnvironmentKey'; Param = '-Environment' }
        @{ Name = 'a malformed environment file'; Run = { New-StudioJob -Query 'x' -EnvironmentFile $badEnv }; Id = 'InvalidEnvironmentFile'; Param = '-EnvironmentFile' }
        @{ Name = 'a missing upload for -File'; Run = { New-StudioJob -Query 'x' -File (Join-Path $Work 'nope.bin') }; Id = 'FileNotFound'; Param = '-File' }
        @{ Name = 'a bad file id'; Run = { New-StudioJob -Query 'x' -FileId 'a b' }; Id = 'InvalidFileId'; Param = '-FileId' }
        @{ Name = 'a bad job id'; Run = { Get-StudioJob -Id 'bad/id' }; Id = 'InvalidJobId'; Param = '-Id' }
        @{ Name = 'a bad job id to stop'; Run = { Stop-StudioJob -Id 'has space' }; Id = 'InvalidJobId'; Param = '-Id' }
        @{ Name = 'a bad job id to wait'; Run = { Wait-StudioJob -Id "x`ny" }; Id = 'InvalidJobId'; Param = '-Id' }
        @{ Name = 'a bad job id for logs'; Run = { Get-StudioJobLog -Id '../etc' }; Id = 'InvalidJobId'; Param = '-Id' }
        @{ Name = 'a missing upload'; Run = { Send-StudioFile -Path (Join-Path $Work 'nothing-*.bin') }; Id = 'FileNotFound'; Param = '-Path' }
        @{ Name = 'a folder upload'; Run = { Send-StudioFile -LiteralPath $folder }; Id = 'PathIsDirectory'; Param = '-LiteralPath' }
        @{ Name = 'a status that is not a word'; Run = { Get-StudioJob -Status 'RUN NING' }; Id = 'InvalidStatus'; Param = '-Status' }
        @{ Name = '-NoLog without -Wait'; Run = { New-StudioJob -Query 'x' -NoLog }; Id = 'NoLogWithoutWait'; Param = '-NoLog' }
    )
}

Describe 'Bad input to the job cmdlets' {
    BeforeAll {
        $folder = Join-Path $Work 'a-folder'
        $null = New-Item -ItemType Directory -Path $folder -Force
        $script = Join-Path $Work 'ok.py'
        Set-Content -LiteralPath $script -Value "print(1)"
        $badEnv = Join-Path $Work 'bad.env'
        Set-Content -LiteralPath $badEnv -Value "A=1`nno equals here"
    }

    It 'refuses <Name> with error id <Id>, naming <Param>, and sends nothing' -ForEach $BadInputCases {
        Clear-EmulatorRequest $Emu
        $err = { & $Run -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,StudioPS.Commands.*"
        $err.Exception.Message | Should -BeLike "*$Param*"
        $err.CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'ObjectNotFound')
        @(Get-ApiRequest).Count | Should -Be 0
    }

    It 'refuses priority and workers out of range at binding, before anything is sent' {
        Clear-EmulatorRequest $Emu
        { New-StudioJob -Query 'x' -Priority 9 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,StudioPS.Commands.NewStudioJobCommand'
        { New-StudioJob -Query 'x' -Workers 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,StudioPS.Commands.NewStudioJobCommand'
        $err = { New-StudioJob -Query 'x' -StartAfter 'next tuesday-ish' -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception | Should -BeOfType 'System.Management.Automation.ParameterBindingException'
        $err.Exception.Message | Should -BeLike "*'StartAfter'*"
        @(Get-ApiRequest).Count | Should -Be 0
    }

    It 'lets the server refuse workers above the cluster''s maximum with its message' {
        $err = { New-StudioJob -Query 'x' -ClusterName 'gpu-cluster' -Workers 50 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Studio.BadRequest,StudioPS.Commands.NewStudioJobCommand'
        $err.Exception.Message | Should -BeLike '*workers*'
    }
}

Describe 'Get-StudioJobLog -Follow on a job that does not complete' {
    It 'ends with a warning naming the job when it was canceled from elsewhere' {
        $job = New-StudioJob -Query "print('started')`ntime.sleep(600)" -Name canceled-elsewhere
        $null = Start-ThreadJob -ScriptBlock {
            param($Manifest, $Url, $Token, $Team, $Id)
            Import-Module $Manifest
            $c = Connect-Studio -BaseUri $Url -Token $Token -Team $Team -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-StudioJob -Id $Id -Connection $c).Status -ne 'RUNNING' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 500
            Stop-StudioJob -Id $Id -Connection $c
        } -ArgumentList $env:STUDIOPS_MODULE_PATH, $Emu.Url, $Emu.Token, $Emu.Team, $job.Id
        $lines = Get-StudioJobLog -Id $job.Id -Follow -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errs
        $lines | Should -Contain 'started'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be "Job $($job.Id) (canceled-elsewhere) was CANCELED; its log ends here."
        @($errs).Count | Should -Be 0
        Get-Job | Remove-Job -Force
    }

    It 'ends with a JobFailed error carrying the exit code and message when it failed' {
        $job = New-StudioJob -Query "print('loading')`nraise ValueError('schema mismatch')" -Name fails
        $lines = Get-StudioJobLog -Id $job.Id -Follow -ErrorVariable errs -ErrorAction SilentlyContinue
        $lines | Should -Contain 'loading'
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'JobFailed,StudioPS.Commands.GetStudioJobLogCommand'
        $errs[0].Exception.Message | Should -Be "Job $($job.Id) (fails) FAILED with exit code 1: schema mismatch"
    }

    It 'ends quietly when the job completes' {
        $job = New-StudioJob -Query "print('fine')" -Name completes
        $lines = Get-StudioJobLog -Id $job.Id -Follow -WarningVariable warnings -ErrorVariable errs
        $lines | Should -Contain 'fine'
        @($warnings).Count + @($errs).Count | Should -Be 0
    }
}

Describe 'Sizes and durations in views' {
    It 'shows a file''s size as people read it and keeps the bytes in the Size property' {
        $path = Join-Path $Work 'sized.bin'
        [IO.File]::WriteAllBytes($path, [byte[]]::new(1536))
        $file = Send-StudioFile -LiteralPath $path
        $file.Size | Should -Be 1536
        $file.Size | Should -BeOfType [long]
        ($file | Format-Table | Out-String -Width 300) | Should -Match '\b1\.5 KiB\b'
        ($file | Format-List | Out-String) | Should -Match 'Size\s*:\s*1\.5 KiB'
    }

    It 'shows a job''s duration as hh:mm:ss and keeps a TimeSpan in the Duration property' {
        $job = New-StudioJob -Query "print('x')" -Wait -InformationAction Ignore
        $job.Duration | Should -BeOfType [timespan]
        ($job | Format-Table | Out-String -Width 300) | Should -Match '\b00:00:\d\d\b'
        ($job | Format-List | Out-String -Width 300) | Should -Match 'Duration\s*:\s*00:00:\d\d'
    }
}

Describe 'New-StudioJob does what its help says' {
    BeforeAll {
        $Help = (Get-Help New-StudioJob -Full | Out-String -Width 500) -replace '\s+', ' '
    }

    It 'returns a new job CREATED or QUEUED, the statuses its help names' {
        $Help | Should -Match 'CREATED or QUEUED'
        $job = New-StudioJob -Query "print('status')"
        $job.Status | Should -BeIn @('CREATED', 'QUEUED')
    }

    It 'refuses a priority outside 0-5 with PowerShell''s own validation error, as its help says' {
        $Help | Should -Match 'ParameterArgumentValidationError'
        Clear-EmulatorRequest $Emu
        $err = { New-StudioJob -Query "print('x')" -Priority 9 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,StudioPS.Commands.NewStudioJobCommand'
        $err.Exception.Message | Should -BeLike '*Priority*'
        @(Get-ApiRequest).Count | Should -Be 0
    }
}
