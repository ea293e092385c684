# The conventions a PowerShell user expects of a module, checked over the exported commands of the built module.

BeforeAll {
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $Commands = @(Get-Command -Module StudioPS | Sort-Object Name)
    $CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    function Get-CmdletAttribute($Command) {
        $Command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
    }
    function Get-OwnParameter($Command) {
        $Command.Parameters.Values | Where-Object { $_.Name -notin $CommonParameters }
    }
    # The types the module writes, from every cmdlet's [OutputType] (a SecureString has nothing to show;
    # the FileInfo of Save-StudioDataset comes with PowerShell's own views).
    $EmittedTypes = @($Commands.OutputType.Type | Where-Object { $_ -and $_ -ne [void] -and $_ -ne [string] -and $_ -ne [securestring] -and $_ -ne [System.IO.FileInfo] } | Sort-Object FullName -Unique)
}

Describe 'The exported commands' {
    It 'are the cmdlets of the manifest, all with the Studio noun prefix' {
        $manifest = Import-PowerShellDataFile -LiteralPath $env:STUDIOPS_MODULE_PATH
        @($Commands.Name) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $Commands | ForEach-Object { $_.CommandType | Should -Be 'Cmdlet'; $_.Noun | Should -BeLike 'Studio*' }
    }

    It 'use approved verbs only' {
        $approved = (Get-Verb).Verb
        @($Commands | Where-Object Verb -notin $approved | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'support -WhatIf and -Confirm on every cmdlet that changes something in Studio' {
        $changing = 'New', 'Set', 'Add', 'Remove', 'Clear', 'Start', 'Stop', 'Restart', 'Suspend', 'Resume',
        'Send', 'Invoke', 'Update', 'Reset', 'Publish', 'Unpublish', 'Register', 'Unregister'
        $missing = foreach ($command in $Commands | Where-Object Verb -in $changing) {
            if (-not (Get-CmdletAttribute $command).SupportsShouldProcess) { $command.Name }
        }
        @($Commands | Where-Object Verb -in $changing).Count | Should -BeGreaterOrEqual 7
        $missing | Should -BeNullOrEmpty
    }

    It 'do not ask for confirmation where nothing changes' {
        $readOnly = $Commands | Where-Object Verb -in 'Get', 'Wait', 'Show'
        foreach ($command in $readOnly) {
            (Get-CmdletAttribute $command).SupportsShouldProcess | Should -BeFalse -Because "$($command.Name) only reads"
        }
    }

    It 'declare [OutputType]' {
        @($Commands | Where-Object { -not $_.OutputType } | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'bind every Id, JobId and Name selector by property name from the objects the module emits' {
        $selectorNames = 'Id', 'JobId', 'Name'
        $carried = @($EmittedTypes | ForEach-Object { $_.GetProperties().Name } | Sort-Object -Unique)
        $missing = foreach ($command in $Commands) {
            # New-* names the object it creates: its -Name is a value to set, not an object to find.
            if ($command.Verb -eq 'New') { continue }
            foreach ($parameter in Get-OwnParameter $command | Where-Object Name -in $selectorNames) {
                if ($parameter.Name -notin $carried) { continue }
                $unbound = @($parameter.ParameterSets.Values | Where-Object { -not $_.ValueFromPipelineByPropertyName })
                if ($unbound.Count -gt 0) { "$($command.Name) -$($parameter.Name)" }
            }
        }
        $missing | Should -BeNullOrEmpty
    }

    It 'bind a StudioJob to the job cmdlets and a pipeline job run to Remove-StudioPipelineJob by property name' {
        foreach ($name in 'Get-StudioJob', 'Stop-StudioJob', 'Wait-StudioJob', 'Get-StudioJobLog') {
            $id = (Get-Command $name).Parameters['Id']
            @($id.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count | Should -BeGreaterThan 0 -Because $name
        }
        [StudioPS.Models.StudioPipelineJobRun].GetProperty('JobId') | Should -Not -BeNullOrEmpty
        (Get-Command Remove-StudioPipelineJob).Parameters['JobId'].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true
    }

    It 'name their parameters in the singular' {
        # A name whose last word is plural but whose value is one thing: a count, or a switch.
        $singularByMeaning = @{
            MaxRetries   = 'a count: how many times to retry'
            Workers      = 'a count: how many workers the job may use'
            IncludeSteps = 'a switch that adds the steps to each job'
            IgnoreCheckpoints = 'a switch named after the datachain CLI''s --ignore-checkpoints'
            ExpiresInDays = 'a count: how many days a new token lives (the official CLI''s --expires-in)'
            IncludeDatasetVersions = 'a switch that adds the dataset versions to each job'
        }
        $plural = foreach ($command in $Commands) {
            foreach ($parameter in Get-OwnParameter $command) {
                $lastWord = ([regex]::Matches($parameter.Name, '[A-Z][a-z]*') | Select-Object -Last 1).Value
                # Two letters (As, Is) are no plural; -us and -ss words (Status, Address) are singular.
                $isPlural = $lastWord.Length -gt 2 -and $lastWord -match '[^su]s$'
                if ($isPlural -and -not $singularByMeaning.ContainsKey($parameter.Name)) { "$($command.Name) -$($parameter.Name)" }
            }
        }
        $plural | Should -BeNullOrEmpty
    }

    It 'give a parameter name the same type wherever it appears' {
        $byName = @{}
        foreach ($command in $Commands) {
            foreach ($parameter in Get-OwnParameter $command) {
                # A single value and a list of them are the same kind (-Id on one job or on several).
                $type = $parameter.ParameterType
                if ($type.IsArray) { $type = $type.GetElementType() }
                $type = [Nullable]::GetUnderlyingType($type) ?? $type
                if (-not $byName.ContainsKey($parameter.Name)) { $byName[$parameter.Name] = @{} }
                $byName[$parameter.Name]["$($command.Name)"] = $type.FullName
            }
        }
        $byName['Team'].Count | Should -BeGreaterOrEqual 15
        $inconsistent = foreach ($name in $byName.Keys) {
            $types = @($byName[$name].Values | Sort-Object -Unique)
            if ($types.Count -gt 1) { "-$name is " + (($byName[$name].GetEnumerator() | ForEach-Object { "$($_.Value) in $($_.Key)" }) -join ', ') }
        }
        $inconsistent | Should -BeNullOrEmpty
    }

    It 'never write to the console directly: the C# source has no Console.Write or Host.UI call' {
        $pattern = 'Console\.(Write|Out|Error|OpenStandard)|\.UI\.Write|Host\.UI'
        $hits = Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'src/StudioPS') -Recurse -Filter '*.cs' -File |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
            Select-String -Pattern $pattern |
            ForEach-Object { '{0}:{1}: {2}' -f $_.Filename, $_.LineNumber, $_.Line.Trim() }
        $hits | Should -BeNullOrEmpty
    }
}

Describe 'Views for the types the module emits' {
    BeforeAll {
        $format = [xml](Get-Content -LiteralPath (Join-Path (Split-Path $env:STUDIOPS_MODULE_PATH) 'StudioPS.Format.ps1xml') -Raw)
        $views = @($format.Configuration.ViewDefinitions.View | ForEach-Object {
                [pscustomobject]@{
                    Type = $_.ViewSelectedBy.TypeName
                    Kind = if ($_.SelectSingleNode('TableControl')) { 'Table' } elseif ($_.SelectSingleNode('ListControl')) { 'List' } else { 'Other' }
                }
            })
    }

    It 'gives every emitted type a table view and a list view' {
        $EmittedTypes.Count | Should -BeGreaterOrEqual 5
        $missing = foreach ($type in $EmittedTypes + [StudioPS.Models.StudioPipelineJobRun]) {
            foreach ($kind in 'Table', 'List') {
                if (-not ($views | Where-Object { $_.Type -eq $type.FullName -and $_.Kind -eq $kind })) { "$kind view of $($type.FullName)" }
            }
        }
        $missing | Should -BeNullOrEmpty
    }

    It 'shows a job table with its status, duration and exit code first' {
        $job = [StudioPS.Models.StudioJob]@{
            Id = '5d9a'; Name = 'train.py'; Status = 'FAILED'; ExitCode = 3
            CreatedAt = [DateTimeOffset]'2026-01-02T03:00:00Z'; FinishedAt = [DateTimeOffset]'2026-01-02T04:15:30Z'
        }
        $lines = @(($job | Format-Table | Out-String -Width 200) -split "`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Id\s+Name\s+Status\s+CreatedAt\s+Duration\s+ExitCode'
        $lines[2] | Should -Match '5d9a\s+train\.py\s+FAILED\s+\S+ \S+\s+01:15:30\s+3'
    }

    It 'shows a job as a list with its outcome and derived Duration' {
        $job = [StudioPS.Models.StudioJob]@{
            Id = '5d9a'; Status = 'COMPLETE'; ExitCode = 0
            CreatedAt = [DateTimeOffset]'2026-01-02T03:00:00Z'; FinishedAt = [DateTimeOffset]'2026-01-02T03:02:05Z'
        }
        $text = $job | Format-List | Out-String
        $text | Should -Match 'Status\s+: COMPLETE'
        $text | Should -Match 'Duration\s+: 00:02:05'
    }

    It 'shows a pipeline with jobs done of total, and its percent complete in the list' {
        $pipeline = [StudioPS.Models.StudioPipeline]@{ Name = 'lanky-tapir'; Status = 'RUNNING'; Completed = 1; Total = 4 }
        $pipeline.PercentComplete | Should -Be 25
        ($pipeline | Format-Table | Out-String -Width 200) | Should -Match 'lanky-tapir\s+RUNNING\s+1/4'
        ($pipeline | Format-List | Out-String) | Should -Match 'Progress\s+: 1/4 jobs \(25%\)'
    }
}
