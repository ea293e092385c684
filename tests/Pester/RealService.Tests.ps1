# The module against the emulator speaking like the real service: raw log chunks, archived logs on
# Studio's own origin and on another host name, reruns, several datasets per pipeline, bare replies.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team

    # Output with CRLF and LF ends, a blank line, a line cut across chunks and a last line without a break.
    $RawQuery = "print(`"first`")`nprint(`"`")`n# emulator: lines=400 interval_ms=0 prefix=row`nsys.stdout.write(`"tail without newline`")"
    $RawLines = @('first', '') + @(1..400 | ForEach-Object { "row $_" }) + @('tail without newline')
    function Wait-Finished([string] $Id) { $null = Wait-StudioJob -Id $Id -PollIntervalSec 1 -ErrorAction SilentlyContinue }
    function Wait-Running([string] $Id) {
        for ($i = 0; $i -lt 200 -and (Get-StudioJob -Id $Id).Status -ne 'RUNNING'; $i++) { Start-Sleep -Milliseconds 50 }
        # Let the first print land before the archive point is fixed.
        Start-Sleep -Milliseconds 300
    }
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Exit-IsolatedStudioEnvironment
}

Describe 'Log output as raw chunks' {
    It 'Get-StudioJobLog -Follow assembles lines across chunks and flushes the last partial line when the job ends' {
        $job = New-StudioJob -Query $RawQuery
        $lines = @(Get-StudioJobLog -Id $job.Id -Follow)
        $lines.Count | Should -Be $RawLines.Count
        $lines | Should -Be $RawLines
        $lines | Where-Object { $_ -match "[`r`n]" } | Should -BeNullOrEmpty
    }

    It 'New-StudioJob -Wait writes the same lines to the information stream, tagged StudioLog' {
        $null = New-StudioJob -Query $RawQuery -Wait -InformationVariable info -InformationAction SilentlyContinue
        @($info | Where-Object { $_.Tags -contains 'StudioLog' } | ForEach-Object { "$($_.MessageData)" }) | Should -Be $RawLines
    }

    It 'the REST log gives the same lines, and -Raw the chunks untouched' {
        $job = New-StudioJob -Query $RawQuery
        Wait-Finished $job.Id
        @(Get-StudioJobLog -Id $job.Id) | Should -Be $RawLines
        $expected = "first`n`n" + (-join (1..400 | ForEach-Object { "row $_" + $(if ($_ % 4 -eq 2) { "`r`n" } else { "`n" }) })) + 'tail without newline'
        -join @(Get-StudioJobLog -Id $job.Id -Raw) | Should -BeExactly $expected
        $chunks = @(Get-StudioJobLog -Id $job.Id -Follow -Raw)
        $chunks.Count | Should -BeGreaterThan 1
        -join $chunks | Should -BeExactly $expected
    }
}

Describe 'Archived logs (log_blobs)' {
    AfterEach {
        $null = Set-EmulatorOption $Emu @{ log_archive = 'none' }
        Clear-EmulatorFault $Emu
    }

    It 'reads an archive on Studio''s own origin with the token, before the records that follow it' {
        $job = New-StudioJob -Query $RawQuery
        Wait-Finished $job.Id
        $null = Set-EmulatorOption $Emu @{ log_archive = 'own' }
        Clear-EmulatorRequest $Emu
        @(Get-StudioJobLog -Id $job.Id -Follow) | Should -Be $RawLines
        $archive = @(Get-EmulatorRequest $Emu | Where-Object path -like '*/archived-log')
        $archive.Count | Should -Be 1
        $archive[0].status | Should -Be 200
        $archive[0].auth_scheme | Should -Be 'Bearer'
    }

    # time.sleep(50) runs 5 s at the file's speed 10: the archive point is fixed (the option set, the follow
    # connected) long before 'new' is printed, however loaded the machine.
    It 'reads an archive on another host name without ever sending it the token' {
        $job = New-StudioJob -Query "print('old')`ntime.sleep(50)`nprint('new')"
        Wait-Running $job.Id
        $null = Set-EmulatorOption $Emu @{ log_archive = 'other' }
        Clear-EmulatorRequest $Emu
        @(Get-StudioJobLog -Id $job.Id -Follow) | Should -Be @('old', 'new')
        $blob = @(Get-EmulatorRequest $Emu | Where-Object path -like '/blobs/*')
        $blob.Count | Should -Be 1
        $blob[0].status | Should -Be 200
        $blob[0].auth_scheme | Should -BeNullOrEmpty
    }

    It 'warns when the archive cannot be read and goes on following' {
        $job = New-StudioJob -Query "print('old')`ntime.sleep(50)`nprint('new')"
        Wait-Running $job.Id
        $null = Set-EmulatorOption $Emu @{ log_archive = 'other' }
        $null = Add-EmulatorFault $Emu @{ path = '/blobs/*'; status = 500 }
        $lines = @(Get-StudioJobLog -Id $job.Id -Follow -WarningVariable warnings -WarningAction SilentlyContinue)
        $lines | Should -Be @('new')
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*archived log of job $($job.Id) at http://localhost:*/blobs/logs/*could not be read*"
        "$($warnings[0])" | Should -Not -BeLike '*signature*'
    }
}

Describe 'New-StudioJob: reruns and schedules' {
    It 'continues from a job given as an object, ignoring checkpoints, and shows the run group' {
        $first = New-StudioJob -Query "print('x')"
        $rerun = $first | Get-StudioJob | ForEach-Object { New-StudioJob -Query "print('y')" -RerunFrom $_ -IgnoreCheckpoints }
        $rerun.RerunFromJobId | Should -Be $first.Id
        $rerun.RunGroupId | Should -Be (Get-StudioJob -Id $first.Id).RunGroupId
        $rerun.AdditionalFields['reset'].GetBoolean() | Should -BeTrue
        (New-StudioJob -Query "print('z')" -RerunFrom $first.Id).RerunFromJobId | Should -Be $first.Id
    }

    It 'a cron job without -StartAfter starts now (UTC)' {
        $before = [DateTimeOffset]::UtcNow.AddSeconds(-2)
        $job = New-StudioJob -Query "print('x')" -Cron '@daily' -WarningAction SilentlyContinue
        $job.Status | Should -Be 'TASK'
        $start = [DateTimeOffset]::Parse($job.AdditionalFields['start_after'].GetString(), [Globalization.CultureInfo]::InvariantCulture)
        $start | Should -BeGreaterOrEqual $before
        $start | Should -BeLessOrEqual ([DateTimeOffset]::UtcNow.AddSeconds(2))
    }

    It 'an unknown -RerunFrom job is the server''s 400, not a silent new run' {
        { New-StudioJob -Query "print('x')" -RerunFrom 'no-such-job' -ErrorAction Stop } | Should -Throw '*rerun_from_job_id*'
    }
}

Describe 'Bare replies to cancel, pause and resume' {
    AfterEach { $null = Set-EmulatorOption $Emu @{ action_reply = 'message' } }

    It 'Stop-StudioJob succeeds on an empty 200 and -PassThru reads the job' {
        $null = Set-EmulatorOption $Emu @{ action_reply = 'empty' }
        $job = New-StudioJob -Query 'time.sleep(60)'
        $stopped = Stop-StudioJob -Id $job.Id -PassThru -ErrorAction Stop
        $stopped.Id | Should -Be $job.Id
        $stopped.Status | Should -BeIn @('CANCELING', 'CANCELED')
    }

    It 'Resume-StudioPipeline succeeds on a text 200 and -PassThru reads the pipeline' {
        $pipeline = Invoke-StudioPipeline -Dataset '@emulator.demo.raw' -Review
        $null = Set-EmulatorOption $Emu @{ action_reply = 'text' }
        $resumed = Resume-StudioPipeline -Name $pipeline.Name -PassThru -ErrorAction Stop
        $resumed.Name | Should -Be $pipeline.Name
        $resumed.Status | Should -Not -Be 'PAUSED'
    }
}

Describe 'Invoke-StudioPipeline with several datasets' {
    It 'makes one pipeline for all of them with the official body' {
        Clear-EmulatorRequest $Emu
        $pipeline = Invoke-StudioPipeline -Dataset '@emulator.demo.labels', '@emulator.demo.clean' -Review
        @(Get-EmulatorRequest $Emu | Where-Object path -like '*/pipeline/trigger').Count | Should -Be 1
        $names = @($pipeline.JobRuns | ForEach-Object Name)
        $names | Should -Contain '@emulator.demo.labels'
        $names | Should -Contain '@emulator.demo.clean'
    }

    It 'refuses -Version with several datasets before sending anything' {
        { Invoke-StudioPipeline -Dataset a.b.c, a.b.d -Version 1.0.0 -ErrorAction Stop } | Should -Throw -ErrorId 'VersionWithSeveralDatasets*'
    }

    It 'falls back once to the official body where a server refuses the document''s, and remembers it' {
        $official = Start-TestEmulator -ArgumentList '--speed', '10', '--pipeline-trigger-form', 'official'
        try {
            $connection = Connect-Studio -Token $official.Token -BaseUri $official.Url -Team $official.Team -PassThru
            $first = Invoke-StudioPipeline -Dataset '@emulator.demo.raw@1.0.0' -Review -Connection $connection
            $first.Status | Should -Be 'PAUSED'
            $statuses = @(Get-EmulatorRequest $official | Where-Object path -like '*/pipeline/trigger' | ForEach-Object status)
            $statuses | Should -Be @(422, 200)
            $null = Invoke-StudioPipeline -Dataset '@emulator.demo.raw' -Review -Connection $connection
            @(Get-EmulatorRequest $official | Where-Object path -like '*/pipeline/trigger').Count | Should -Be 3
        }
        finally {
            Stop-TestEmulator $official
            Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
        }
    }
}
