# The pipeline cmdlets against the emulator's dataset graph:
#   raw <- clean <- features -> labels, and broken <- raw (its job fails).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    function Get-ApiRequest { @(Get-EmulatorRequest $Emu | Where-Object path -like '/api/*') }
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Exit-IsolatedStudioEnvironment
}

Describe 'A pipeline triggered for review' {
    It 'is PAUSED, loses a removed pending job, resumes and Wait-StudioPipeline reaches COMPLETED with progress' {
        $pipeline = Invoke-StudioPipeline -Dataset '@emulator.demo.features' -Review
        $pipeline | Should -BeOfType 'StudioPS.Models.StudioPipeline'
        $pipeline.Status | Should -Be 'PAUSED'
        $pipeline.Total | Should -Be 4
        $pipeline.TriggeredFrom | Should -Be '@emulator.demo.features'
        $names = $pipeline.JobRuns.Name
        $names | Should -Contain '@emulator.demo.labels'

        $labels = $pipeline.JobRuns | Where-Object Name -eq '@emulator.demo.labels'
        $after = $labels | Remove-StudioPipelineJob -Pipeline $pipeline.Name -Confirm:$false -PassThru
        $after.Total | Should -Be 3
        $after.JobRuns.Name | Should -Not -Contain '@emulator.demo.labels'

        $resumed = Resume-StudioPipeline -Id $pipeline.Id -PassThru
        $resumed.Status | Should -BeIn @('RUNNING', 'PENDING')

        $final = $pipeline | Wait-StudioPipeline -PollIntervalSec 1 -ProgressAction Continue 5>&1 -ErrorVariable errs
        $final = @($final | Where-Object { $_ -is [StudioPS.Models.StudioPipeline] })[0]
        $final.Status | Should -Be 'COMPLETED'
        $final.Completed | Should -Be 3
        $errs.Count | Should -Be 0
        @($final.JobRuns | Where-Object { -not $_.CreatedJobId }).Count | Should -Be 0 -Because 'every run created a real job'
        Get-StudioJob -Id $final.JobRuns[0].CreatedJobId | Select-Object -ExpandProperty Status | Should -Be 'COMPLETE'
    }

    It 'sends the document''s trigger body, the namespace keeping its @' {
        Clear-EmulatorRequest $Emu
        $null = Invoke-StudioPipeline -Dataset '@emulator.demo.raw@1.0.0' -Review
        $request = (Get-ApiRequest)[0]
        $request.method | Should -Be 'POST'
        $request.path | Should -Be '/api/datachain/pipeline/trigger'
    }
}

Describe 'A pipeline whose job fails' {
    It 'ends FAILED and writes a PipelineFailed error with the pipeline''s message' {
        $err = { Invoke-StudioPipeline -Dataset '@emulator.demo.broken' -Wait -PollIntervalSec 1 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PipelineFailed,StudioPS.Commands.InvokeStudioPipelineCommand'
        $err.TargetObject.Status | Should -Be 'FAILED'
        $err.Exception.Message | Should -BeLike '*FAILED after 1 of 2 jobs: *'
        $err.TargetObject.ErrorMessage | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -BeLike "*$($err.TargetObject.ErrorMessage)*"
    }
}

Describe 'Get-StudioPipeline' {
    It 'reads one by name and lists with status, limit and search' {
        $p = Invoke-StudioPipeline -Dataset '@emulator.demo.clean' -Review
        (Get-StudioPipeline -Name $p.Name).Id | Should -Be $p.Id
        (Get-StudioPipeline -Id $p.Id).Name | Should -Be $p.Name
        @(Get-StudioPipeline -Status PAUSED).Name | Should -Contain $p.Name
        Get-StudioPipeline -Status PAUSED | ForEach-Object { $_.Status | Should -Be 'PAUSED' }
        @(Get-StudioPipeline -First 1).Count | Should -Be 1
        Clear-EmulatorRequest $Emu
        $null = Get-StudioPipeline -Search 'demo.clean' -Status paused -First 5
        (Get-ApiRequest)[0].query | Should -BeLike '*status=PAUSED*'
        (Get-ApiRequest)[0].query | Should -BeLike '*search=demo.clean*'
        (Get-ApiRequest)[0].query | Should -BeLike '*limit=5*'
    }

    It 'reports an unknown pipeline as ObjectNotFound' {
        $null = Get-StudioPipeline -Name 'no-such-pipeline' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'pipes into Suspend-StudioPipeline -WhatIf without sending anything' {
        $null = Invoke-StudioPipeline -Dataset '@emulator.demo.raw'
        Clear-EmulatorRequest $Emu
        Get-StudioPipeline | Suspend-StudioPipeline -WhatIf
        @(Get-ApiRequest | Where-Object method -eq 'POST').Count | Should -Be 0
    }

    It 'suspends and resumes by name' {
        # At the file's speed 10 the whole pipeline runs in about 0.3 s: a pause that came after its last job
        # started (a loaded machine, the pause's first call compiled cold) found it COMPLETED, and the resume
        # was refused. At speed 1 the pause has seconds to arrive.
        $null = Set-EmulatorOption $Emu @{ speed = 1 }
        try {
            $p = Invoke-StudioPipeline -Dataset '@emulator.demo.features'
            (Suspend-StudioPipeline -Name $p.Name -PassThru).Status | Should -Be 'PAUSED'
            (Resume-StudioPipeline -Name $p.Name -PassThru).Status | Should -BeIn @('RUNNING', 'PENDING')
            ($p | Wait-StudioPipeline -PollIntervalSec 1).Status | Should -Be 'COMPLETED'
        }
        finally {
            $null = Set-EmulatorOption $Emu @{ speed = 10 }
        }
    }
}

Describe 'Remove-StudioPipelineJob' {
    It 'says plainly that only a PENDING job of a PAUSED pipeline can be removed' {
        $p = Invoke-StudioPipeline -Dataset '@emulator.demo.features'
        $run = $p.JobRuns | Select-Object -First 1
        $err = { Remove-StudioPipelineJob -Pipeline $p.Name -JobId $run.JobId -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*only from a PAUSED pipeline*only while the job is PENDING*'
        $err.CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'ResourceExists', 'OperationStopped')
        $null = $p | Wait-StudioPipeline -PollIntervalSec 1
    }

    It 'asks for confirmation by default and changes nothing with -WhatIf' {
        (Get-Command Remove-StudioPipelineJob).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
        $p = Invoke-StudioPipeline -Dataset '@emulator.demo.features' -Review
        Clear-EmulatorRequest $Emu
        $p.JobRuns | Select-Object -First 1 | Remove-StudioPipelineJob -Pipeline $p.Name -WhatIf
        @(Get-ApiRequest | Where-Object method -ne 'GET').Count | Should -Be 0
        @(Get-ApiRequest).Count | Should -Be 1 -Because 'one read names the job run in the -WhatIf text'
    }

    It 'names the job run''s dataset and the pipeline in the prompt and -WhatIf (a real pwsh)' {
        $p = Invoke-StudioPipeline -Dataset '@emulator.demo.features' -Review
        $run = $p.JobRuns | Where-Object Name -like '*labels*' | Select-Object -First 1
        $command = "Import-Module '$env:STUDIOPS_MODULE_PATH'; Connect-Studio -Token '$($Emu.Token)' -BaseUri '$($Emu.Url)' -Team '$($Emu.Team)'; Remove-StudioPipelineJob -Pipeline '$($p.Name)' -JobId '$($run.JobId)' -WhatIf"
        $text = (Invoke-ChildPowerShell -Command $command).Output -join "`n"
        $text | Should -Match ([regex]::Escape("on target `"job run for dataset '$($run.Name)' (PENDING, id $($run.JobId)) of pipeline '$($p.Name)' (from $($p.TriggeredFrom)) in team '$($Emu.Team)'`"")) -Because $text
    }
}

Describe 'Show-StudioPipeline' {
    BeforeAll {
        $Pipeline = Invoke-StudioPipeline -Dataset '@emulator.demo.features' -Review
        $ById = @{}
        foreach ($run in $Pipeline.JobRuns) { $ById[$run.JobId] = $run.Name }
        # The graph's edges as "parent -> child" by dataset name, from the pipeline's own data.
        $Edges = @(foreach ($run in $Pipeline.JobRuns) { foreach ($parent in $run.ParentJobIds) { '{0} -> {1}' -f $ById[$parent], $run.Name } }) | Sort-Object
    }

    It 'draws a tree with parents before children' {
        $tree = @($Pipeline | Show-StudioPipeline)
        $tree[0] | Should -Be "$($Pipeline.Name) [PAUSED] 0/4 from @emulator.demo.features"
        $index = @{}
        for ($i = 1; $i -lt $tree.Count; $i++) { $index[($tree[$i] -replace '^[\s│├└─]+', '' -replace ' \[.*$', '')] = $i }
        foreach ($edge in $Edges) {
            $parent, $child = $edge -split ' -> '
            $index[$parent] | Should -BeLessThan $index[$child] -Because "$parent comes before $child"
        }
        ($tree -join "`n") | Should -BeLike '*@emulator.demo.features `[PENDING`] (also after *'
    }

    It 'writes Mermaid whose edges are exactly the graph''s' {
        $text = Show-StudioPipeline -Name $Pipeline.Name -As Mermaid
        $labels = @{}
        foreach ($match in [regex]::Matches($text, '(n\d+)\["([^<]+)<br/>')) { $labels[$match.Groups[1].Value] = $match.Groups[2].Value }
        $mermaidEdges = @(foreach ($match in [regex]::Matches($text, '(n\d+) --> (n\d+)')) { '{0} -> {1}' -f $labels[$match.Groups[1].Value], $labels[$match.Groups[2].Value] }) | Sort-Object
        $mermaidEdges | Should -Be $Edges
    }

    It 'writes DOT whose edges are exactly the graph''s' {
        $text = $Pipeline | Show-StudioPipeline -As Dot
        $labels = @{}
        foreach ($match in [regex]::Matches($text, '(n\d+) \[label="([^\\]+)\\n')) { $labels[$match.Groups[1].Value] = $match.Groups[2].Value }
        $dotEdges = @(foreach ($match in [regex]::Matches($text, '(n\d+) -> (n\d+);')) { '{0} -> {1}' -f $labels[$match.Groups[1].Value], $labels[$match.Groups[2].Value] }) | Sort-Object
        $dotEdges | Should -Be $Edges
        $text | Should -BeLike 'digraph*{*}*'
    }
}

Describe 'Bad input to the pipeline cmdlets' {
    It 'refuses <Name> naming <Param>, and sends nothing' -ForEach @(
        @{ Name = 'an empty dataset'; Run = { Invoke-StudioPipeline -Dataset ' ' }; Id = 'InvalidDataset'; Param = '-Dataset' }
        @{ Name = 'a dataset with four parts'; Run = { Invoke-StudioPipeline -Dataset 'a.b.c.d' }; Id = 'InvalidDataset'; Param = '-Dataset' }
        @{ Name = 'a bad version'; Run = { Invoke-StudioPipeline -Dataset '@a.b.c' -Version 'latest' }; Id = 'InvalidVersion'; Param = 'Version' }
        @{ Name = '-Wait with -Review'; Run = { Invoke-StudioPipeline -Dataset '@a.b.c' -Review -Wait }; Id = 'WaitWithReview'; Param = '-Review' }
        @{ Name = 'no pipeline named'; Run = { Suspend-StudioPipeline }; Id = 'PipelineSelectorRequired'; Param = '-Name' }
        @{ Name = 'a bad pipeline id'; Run = { Wait-StudioPipeline -Id 'a b' }; Id = 'InvalidPipelineId'; Param = '-Id' }
        @{ Name = 'a bad job id'; Run = { Remove-StudioPipelineJob -Pipeline p -JobId '../x' -Confirm:$false }; Id = 'InvalidJobId'; Param = '-JobId' }
        @{ Name = 'a status that is not a word'; Run = { Get-StudioPipeline -Status 'PA USED' }; Id = 'InvalidStatus'; Param = '-Status' }
    ) {
        Clear-EmulatorRequest $Emu
        $err = { & $Run -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,StudioPS.Commands.*"
        $err.Exception.Message | Should -BeLike "*$Param*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ApiRequest).Count | Should -Be 0
    }
}
