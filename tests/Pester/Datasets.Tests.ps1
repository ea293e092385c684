# The dataset cmdlets against the emulator's dataset store: the pipeline graph's datasets
# (@emulator.demo.raw, clean, features, labels, broken), the hidden ds_query_ one, and datasets tests add.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    function Get-ApiRequest([string] $Like = '/api/*') { @(Get-EmulatorRequest $Emu | Where-Object path -like $Like) }
    function New-TestFolder {
        $path = Join-Path ([IO.Path]::GetTempPath()) ('studiops-ds-' + [guid]::NewGuid().ToString('N'))
        $script:Folders += , $path
        $path
    }
    $script:Folders = @()
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-IsolatedStudioEnvironment
}

Describe 'Get-StudioDataset' {
    BeforeEach { Reset-Emulator $Emu }

    It 'lists the datasets as StudioDataset objects with namespace, project, versions and the latest version, hiding ds_query_ ones' {
        $all = @(Get-StudioDataset)
        $all[0] | Should -BeOfType 'StudioPS.Models.StudioDataset'
        $all.FullName | Should -Contain '@emulator.demo.raw'
        $all.Name | Should -Not -Contain 'ds_query_0f3a9c'
        $raw = $all | Where-Object Name -eq 'raw'
        $raw.Namespace | Should -Be '@emulator'
        $raw.Project | Should -Be 'demo'
        $raw.Versions.Count | Should -Be 1
        $raw.LatestVersion.Version | Should -Be '1.0.0'
        $raw.LatestVersion.Status | Should -Be 'COMPLETE'
        $raw.LatestVersion.Rows | Should -BeGreaterThan 0
        $raw.LatestVersion.Size | Should -BeGreaterThan 0
        $raw.LatestVersion.Dataset | Should -Be '@emulator.demo.raw'
        (Get-ApiRequest '/api/datachain/datasets')[0].query | Should -Be "team_name=$($Emu.Team)"
    }

    It 'shows an internal ds_query_ dataset when the name asks for it' {
        (Get-StudioDataset -Name 'ds_query_*').Name | Should -Be 'ds_query_0f3a9c'
    }

    It 'reads a full name with datasets/info' {
        Clear-EmulatorRequest $Emu
        $ds = Get-StudioDataset -Name '@emulator.demo.clean'
        $ds.FullName | Should -Be '@emulator.demo.clean'
        $requests = Get-ApiRequest
        $requests.Count | Should -Be 1
        $requests[0].path | Should -Be '/api/datachain/datasets/info'
        $requests[0].query | Should -Match 'namespace=%40emulator&project=demo&name=clean'
    }

    It 'sends the literal head of a wildcard as prefix and filters the rest here' {
        Clear-EmulatorRequest $Emu
        @(Get-StudioDataset -Name 'f*s').FullName | Should -Be @('@emulator.demo.features')
        (Get-ApiRequest)[0].query | Should -Match '(^|&)prefix=f(&|$)'
        Clear-EmulatorRequest $Emu
        @(Get-StudioDataset -Name '@emulator.demo.*a*').Name | Sort-Object | Should -Be @('clean', 'features', 'labels', 'raw')
        (Get-ApiRequest)[0].query | Should -Not -Match 'prefix='
    }

    It 'finds a short name in any namespace and takes names from the pipeline' {
        @('raw', 'labels' | Get-StudioDataset).FullName | Should -Be @('@emulator.demo.raw', '@emulator.demo.labels')
    }

    It 'names the status of every version, orders versions numerically and picks the highest as latest' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.multi'; versions = @(
                @{ version = '1.0.9'; status = 4 }, @{ version = '1.0.10'; status = 3; error_message = 'out of memory' }, @{ version = '1.0.2'; status = 2 }, @{ version = '1.0.3'; status = 5 }) }
        $ds = Get-StudioDataset '@emulator.demo.multi'
        $ds.Versions.Version | Should -Be @('1.0.2', '1.0.3', '1.0.9', '1.0.10')
        $ds.Versions.Status | Should -Be @('PENDING', 'UNKNOWN(5)', 'COMPLETE', 'FAILED')
        $ds.LatestVersion.Version | Should -Be '1.0.10'
        $ds.LatestVersion.ErrorMessage | Should -Be 'out of memory'
    }

    It 'shows removed datasets only with -IncludeRemoved' {
        Remove-StudioDataset '@emulator.demo.labels' -Force
        (Get-StudioDataset).Name | Should -Not -Contain 'labels'
        $removed = Get-StudioDataset -Name 'labels' -IncludeRemoved
        $removed.Versions[0].Status | Should -Be 'REMOVED'
        (Get-ApiRequest '/api/datachain/datasets')[-1].query | Should -Match 'include_removed=true'
    }

    It 'reports an unknown full name as ObjectNotFound, an unknown short name too, and a wildcard without match as nothing' {
        $null = Get-StudioDataset '@emulator.demo.nope' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.GetStudioDatasetCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].Exception.Message | Should -Match '@emulator.demo.nope'
        $null = Get-StudioDataset 'nope' -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2[0].FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.GetStudioDatasetCommand'
        $none = Get-StudioDataset 'nope*' -ErrorVariable errs3
        $none | Should -BeNullOrEmpty
        $errs3 | Should -BeNullOrEmpty
    }

    It 'refuses a malformed name before sending anything' {
        Clear-EmulatorRequest $Emu
        $err = { Get-StudioDataset -Name 'demo.raw' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidDatasetName,StudioPS.Commands.GetStudioDatasetCommand'
        $err.Exception.Message | Should -Match 'namespace.project.name'
        Get-ApiRequest | Should -BeNullOrEmpty
    }

    It 'formats as a table (name, latest version, versions, readable size, updated) and as a list' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.sized'; versions = @(@{ version = '2.0.0'; size = 3221225472 }) }
        $table = Get-StudioDataset '@emulator.demo.sized' | Format-Table | Out-String -Width 200
        $table | Should -Match 'Name\s+Latest\s+Status\s+Versions\s+Size\s+Updated'
        $table | Should -Match '@emulator\.demo\.sized\s+2\.0\.0\s+COMPLETE\s+1\s+3 GiB'
        # In an 80-column console every column shows: the name takes the room the others leave.
        $narrow = Get-StudioDataset '@emulator.demo.sized' | Format-Table | Out-String -Width 80
        $narrow | Should -Match 'Name\s+Latest\s+Status\s+Versions\s+Size\s+Updated'
        $narrow | Should -Match '@emulator\.demo\.sized\s+2\.0\.0\s+COMPLETE\s+1\s+3 GiB'
        $list = Get-StudioDataset '@emulator.demo.sized' | Format-List | Out-String -Width 200
        $list | Should -Match 'LatestVersion : 2\.0\.0 \(COMPLETE\)'
        $list | Should -Match 'Size\s+: 3 GiB'
    }
}

Describe 'Set-StudioDataset' {
    BeforeEach { Reset-Emulator $Emu }

    It 'renames a dataset and sets its description and attributes, emitting it with -PassThru' {
        $after = Set-StudioDataset -Name '@emulator.demo.labels' -NewName 'tags' -Description 'Human labels' -Attribute 'gold', 'v2' -PassThru
        $after.FullName | Should -Be '@emulator.demo.tags'
        $after.Description | Should -Be 'Human labels'
        $after.Attributes | Should -Be @('gold', 'v2')
        (Get-ApiRequest '/api/datachain/datasets' | Where-Object method -eq 'POST').Count | Should -Be 1
        { Get-StudioDataset '@emulator.demo.labels' -ErrorAction Stop } | Should -Throw
    }

    It 'takes a dataset from the pipeline and clears attributes with an empty list' {
        Set-StudioDataset '@emulator.demo.raw' -Attribute 'a'
        Get-StudioDataset '@emulator.demo.raw' | Set-StudioDataset -Attribute @()
        (Get-StudioDataset '@emulator.demo.raw').Attributes | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Clear-EmulatorRequest $Emu
        Set-StudioDataset '@emulator.demo.raw' -Description 'x' -WhatIf
        Get-ApiRequest | Where-Object method -eq 'POST' | Should -BeNullOrEmpty
    }

    It 'refuses a call with nothing to change, and a full name as -NewName, before sending anything' {
        Clear-EmulatorRequest $Emu
        $err = { Set-StudioDataset '@emulator.demo.raw' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'NothingToSet,StudioPS.Commands.SetStudioDatasetCommand'
        $err = { Set-StudioDataset '@emulator.demo.raw' -NewName '@emulator.demo.x' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidDatasetName,StudioPS.Commands.SetStudioDatasetCommand'
        Get-ApiRequest | Should -BeNullOrEmpty
    }

    It 'reports an unknown dataset without changing anything, and a name already taken as a conflict' {
        $null = Set-StudioDataset '@emulator.demo.nope' -Description 'x' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.SetStudioDatasetCommand'
        Get-ApiRequest | Where-Object method -eq 'POST' | Should -BeNullOrEmpty
        $null = Set-StudioDataset '@emulator.demo.raw' -NewName 'clean' -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }
}

Describe 'Remove-StudioDataset' {
    BeforeEach { Reset-Emulator $Emu }

    It 'removes one version piped from Versions, keeping the others' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.two'; versions = @(@{ version = '1.0.0' }, @{ version = '1.0.1' }) }
        (Get-StudioDataset '@emulator.demo.two').Versions | Where-Object Version -eq '1.0.0' | Remove-StudioDataset -Confirm:$false
        (Get-StudioDataset '@emulator.demo.two').Versions.Version | Should -Be @('1.0.1')
        $delete = Get-ApiRequest '/api/datachain/datasets' | Where-Object method -eq 'DELETE'
        $delete.Count | Should -Be 1
    }

    It 'removes whole datasets piped from Get-StudioDataset with -Force and no prompt' {
        Get-StudioDataset 'l*' | Remove-StudioDataset -Force
        (Get-StudioDataset).Name | Should -Not -Contain 'labels'
    }

    It 'removes a version named as name@version' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.two'; versions = @(@{ version = '1.0.0' }, @{ version = '1.0.1' }) }
        Remove-StudioDataset '@emulator.demo.two@1.0.1' -Confirm:$false
        (Get-StudioDataset '@emulator.demo.two').Versions.Version | Should -Be @('1.0.0')
    }

    It 'removes nothing with -WhatIf, even with -Force' {
        Clear-EmulatorRequest $Emu
        Remove-StudioDataset '@emulator.demo.raw' -Force -WhatIf
        Get-ApiRequest | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
    }

    It 'sends force only with -Force: a version still being built is refused without it' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.busy'; versions = @(@{ version = '1.0.0'; status = 2 }) }
        $null = Remove-StudioDataset '@emulator.demo.busy' -Version '1.0.0' -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $errs[0].Exception.Message | Should -Match 'still being created'
        Remove-StudioDataset '@emulator.demo.busy' -Version '1.0.0' -Force
        (Get-StudioDataset '@emulator.demo.busy').Versions | Should -BeNullOrEmpty
    }

    It 'refuses an unknown version, a malformed version and an unknown dataset with nothing removed' {
        Clear-EmulatorRequest $Emu
        $null = Remove-StudioDataset '@emulator.demo.raw' -Version '9.9.9' -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.RemoveStudioDatasetCommand'
        $errs[0].Exception.Message | Should -Match 'has no version 9\.9\.9; it has 1\.0\.0'
        $err = { Remove-StudioDataset '@emulator.demo.raw' -Version 'latest' -Force -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidVersion,StudioPS.Commands.RemoveStudioDatasetCommand'
        $null = Remove-StudioDataset '@emulator.demo.nope' -Force -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2[0].FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.RemoveStudioDatasetCommand'
        Get-ApiRequest | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
    }

    It 'asks before removing (ConfirmImpact High): a session that cannot ask removes nothing' {
        $attribute = [System.Attribute]::GetCustomAttribute((Get-Command Remove-StudioDataset).ImplementingType, [System.Management.Automation.CmdletAttribute])
        $attribute.ConfirmImpact | Should -Be 'High'
        Clear-EmulatorRequest $Emu
        # This Pester process is -NonInteractive, so the confirmation prompt fails instead of being answered.
        { Remove-StudioDataset '@emulator.demo.raw' -ErrorAction Stop } | Should -Throw
        Get-ApiRequest | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
        (Get-StudioDataset '@emulator.demo.raw').Versions.Count | Should -Be 1
    }

    It 'refuses a wildcard: removal names one dataset' {
        $err = { Remove-StudioDataset '*' -Force -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidDatasetName,StudioPS.Commands.RemoveStudioDatasetCommand'
    }
}

Describe 'Save-StudioDataset' {
    BeforeEach { Reset-Emulator $Emu }

    It 'waits for parts Studio has not written yet, saves them as parquet and emits the files, never sending the token to the parts host' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.big'; versions = @(@{ version = '1.0.0'; size = 600000; parts = 4; part_delay_ms = 4000 }) }
        $folder = New-TestFolder
        $files = Save-StudioDataset '@emulator.demo.big' -Version '1.0.0' -Path $folder -PollIntervalSec 1
        $files.Count | Should -Be 4
        $files[0] | Should -BeOfType 'System.IO.FileInfo'
        $files.Name | Should -Be @('big@1.0.0.00000.parquet', 'big@1.0.0.00001.parquet', 'big@1.0.0.00002.parquet', 'big@1.0.0.00003.parquet')
        ($files | Measure-Object Length -Sum).Sum | Should -Be 600000
        foreach ($file in $files) {
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            [Text.Encoding]::ASCII.GetString($bytes, 0, 4) | Should -Be 'PAR1'
            [Text.Encoding]::ASCII.GetString($bytes, $bytes.Length - 4, 4) | Should -Be 'PAR1'
        }
        @(Get-ChildItem -LiteralPath $folder -Filter '*.part') | Should -BeNullOrEmpty
        $parts = Get-EmulatorExportPartRequest $Emu
        $parts.requests | Should -BeGreaterThan 4 -Because 'parts not written yet answered 404 and were asked for again'
        $parts.with_authorization | Should -Be 0
        (Get-ApiRequest '/api/datachain/datasets/export-status').Count | Should -BeGreaterThan 0
    }

    It 'keeps the parts as sent (LZ4 frames) with -Raw, and picks the latest COMPLETE version without -Version' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.big'; versions = @(@{ version = '1.0.0'; size = 1000; parts = 1 }, @{ version = '1.0.1'; size = 300000; parts = 2 }, @{ version = '1.0.2'; status = 3 }) }
        $folder = New-TestFolder
        $files = Save-StudioDataset '@emulator.demo.big' -Path $folder -Raw -PollIntervalSec 1
        $files.Name | Should -Be @('big@1.0.1.00000.parquet.lz4', 'big@1.0.1.00001.parquet.lz4')
        $bytes = [IO.File]::ReadAllBytes($files[0].FullName)
        ($bytes[0..3] | ForEach-Object { '{0:x2}' -f $_ }) -join '' | Should -Be '04224d18'
        (Get-EmulatorExportPartRequest $Emu).with_authorization | Should -Be 0
    }

    It 'skips parts already complete when run again' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.big'; versions = @(@{ version = '1.0.0'; size = 4000; parts = 3; part_delay_ms = 0 }) }
        $folder = New-TestFolder
        $first = Save-StudioDataset '@emulator.demo.big' -Path $folder -PollIntervalSec 1
        Remove-Item -LiteralPath $first[1].FullName
        $before = (Get-EmulatorExportPartRequest $Emu).requests
        $second = Save-StudioDataset '@emulator.demo.big' -Path $folder -PollIntervalSec 1
        $second.Count | Should -Be 3
        (Get-EmulatorExportPartRequest $Emu).requests - $before | Should -Be 1
    }

    It 'fails clearly when the export fails on Studio, leaving nothing it wrote behind' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.bad'; versions = @(@{ version = '1.0.0'; size = 40000; parts = 4; part_delay_ms = 2000; export_fails = $true }) }
        $folder = New-TestFolder
        $null = Save-StudioDataset '@emulator.demo.bad' -Path $folder -PollIntervalSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'Studio.OperationFailed,StudioPS.Commands.SaveStudioDatasetCommand'
        $errs[0].Exception.Message | Should -Match 'failed on Studio: Export worker ran out of disk space'
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'fails clearly when the version is removed while it is exported, keeping files that were there before' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.gone'; versions = @(@{ version = '1.0.0'; size = 40000; parts = 3; part_delay_ms = 20000 }) }
        $folder = New-TestFolder
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content -LiteralPath (Join-Path $folder 'mine.txt') -Value 'keep'
        $connection = Get-StudioConnection
        Clear-EmulatorRequest $Emu
        $support = Join-Path $PSScriptRoot 'TestSupport.psm1'
        $emulator = $Emu
        $job = Start-ThreadJob {
            Import-Module $using:support
            Import-Module $using:env:STUDIOPS_MODULE_PATH
            # Removed once the export has started, however long the save took to get there.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (@(Get-EmulatorRequest $using:emulator | Where-Object path -eq '/api/datachain/datasets/export').Count -eq 0 -and
                [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            Remove-StudioDataset '@emulator.demo.gone' -Force -Connection $using:connection
        }
        $null = Save-StudioDataset '@emulator.demo.gone' -Path $folder -PollIntervalSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $job | Wait-Job | Remove-Job
        $errs[0].Exception.Message | Should -Match 'was removed on Studio'
        @(Get-ChildItem -LiteralPath $folder).Name | Should -Be @('mine.txt')
    }

    It 'refuses a path that is a file, a malformed version and an unknown version before any export starts' {
        $folder = New-TestFolder
        $null = New-Item -ItemType Directory -Path $folder
        $file = Join-Path $folder 'a-file'
        Set-Content -LiteralPath $file -Value 'x'
        Clear-EmulatorRequest $Emu
        $err = { Save-StudioDataset '@emulator.demo.raw' -Path $file -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PathIsFile,StudioPS.Commands.SaveStudioDatasetCommand'
        Get-ApiRequest | Should -BeNullOrEmpty
        $err = { Save-StudioDataset '@emulator.demo.raw' -Path (Join-Path $file 'sub') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PathIsFile,StudioPS.Commands.SaveStudioDatasetCommand'
        $err.Exception.Message | Should -Match 'which is a file'
        Get-ApiRequest | Should -BeNullOrEmpty
        $err = { Save-StudioDataset '@emulator.demo.raw' -Version 'v1' -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidVersion,StudioPS.Commands.SaveStudioDatasetCommand'
        Get-ApiRequest | Should -BeNullOrEmpty
        $null = Save-StudioDataset '@emulator.demo.raw' -Version '3.0.0' -Path $folder -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.SaveStudioDatasetCommand'
        Get-ApiRequest '/api/datachain/datasets/export' | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $folder).Name | Should -Be @('a-file')
    }

    It 'refuses an unknown dataset with no export started and no folder made' {
        $folder = New-TestFolder
        Clear-EmulatorRequest $Emu
        $err = { Save-StudioDataset '@emulator.demo.nope' -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Studio.NotFound,StudioPS.Commands.SaveStudioDatasetCommand'
        $err.Exception.Message | Should -Match 'No dataset @emulator\.demo\.nope'
        Get-ApiRequest '/api/datachain/datasets/export*' | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'refuses a version that is not COMPLETE before any export starts' {
        $null = Add-EmulatorDataset $Emu @{ name = '@emulator.demo.failed'; versions = @(@{ version = '1.0.0'; status = 3 }) }
        $err = { Save-StudioDataset '@emulator.demo.failed' -Version '1.0.0' -Path (New-TestFolder) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'VersionNotComplete,StudioPS.Commands.SaveStudioDatasetCommand'
        Get-ApiRequest '/api/datachain/datasets/export' | Should -BeNullOrEmpty
    }
}

Describe 'A short -Name with -Namespace and -Project' {
    BeforeEach {
        Reset-Emulator $Emu
        # 'raw' is now in two namespaces: a short name alone no longer names one dataset.
        $null = Add-EmulatorDataset $Emu @{ name = '@other.demo.raw'; versions = @(@{ version = '2.0.0'; size = 3000; parts = 1; part_delay_ms = 0 }) }
    }

    It 'Get-StudioDataset reads exactly that dataset with datasets/info' {
        @(Get-StudioDataset 'raw').FullName | Sort-Object | Should -Be @('@emulator.demo.raw', '@other.demo.raw')
        Clear-EmulatorRequest $Emu
        $ds = Get-StudioDataset -Name 'raw' -Namespace '@other' -Project 'demo'
        $ds.FullName | Should -Be '@other.demo.raw'
        (Get-ApiRequest)[0].path | Should -Be '/api/datachain/datasets/info'
        (Get-ApiRequest)[0].query | Should -Match 'namespace=%40other&project=demo&name=raw'
    }

    It 'Set-StudioDataset changes only that dataset' {
        Set-StudioDataset -Name 'raw' -Namespace '@other' -Project 'demo' -Description 'the other one'
        (Get-StudioDataset '@other.demo.raw').Description | Should -Be 'the other one'
        (Get-StudioDataset '@emulator.demo.raw').Description | Should -BeNullOrEmpty
    }

    It 'Remove-StudioDataset removes only that dataset' {
        Remove-StudioDataset -Name 'raw' -Namespace '@other' -Project 'demo' -Force
        @(Get-StudioDataset 'raw').FullName | Should -Be @('@emulator.demo.raw')
    }

    It 'Save-StudioDataset saves that dataset' {
        $files = Save-StudioDataset -Name 'raw' -Namespace '@other' -Project 'demo' -Path (New-TestFolder) -PollIntervalSec 1
        $files.Name | Should -Be @('raw@2.0.0.00000.parquet')
        $files[0].Length | Should -Be 3000
    }

    It 'refuses a short name that names two datasets, listing them, with nothing exported' {
        $folder = New-TestFolder
        $err = { Save-StudioDataset -Name 'raw' -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'AmbiguousDatasetName,StudioPS.Commands.SaveStudioDatasetCommand'
        $err.Exception.Message | Should -Match '@emulator\.demo\.raw, @other\.demo\.raw|@other\.demo\.raw, @emulator\.demo\.raw'
        Get-ApiRequest '/api/datachain/datasets/export' | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'Get-StudioDataset refuses -Namespace without -Project before sending anything' {
        Clear-EmulatorRequest $Emu
        $err = { Get-StudioDataset -Name 'raw' -Namespace '@other' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidDatasetName,StudioPS.Commands.GetStudioDatasetCommand'
        $err.Exception.Message | Should -Match '-Namespace and -Project together'
        Get-ApiRequest | Should -BeNullOrEmpty
    }
}

Describe 'What a job created' {
    BeforeEach { Reset-Emulator $Emu }

    It 'New-StudioJob -Wait emits a COMPLETE job with the dataset versions it saved' {
        $job = New-StudioJob -Query "import datachain as dc`ndc.read_values(x=[1]).save('nightly')`nprint('done')" -Name 'nightly.py' -Wait -InformationAction SilentlyContinue
        $job.Status | Should -Be 'COMPLETE'
        $job.DatasetVersions.Count | Should -Be 1
        $job.DatasetVersions[0].Dataset | Should -Be '@emulator-user.default.nightly'
        $job.DatasetVersions[0].Version | Should -Be '1.0.0'
        (Get-StudioDataset '@emulator-user.default.nightly').LatestVersion.JobId | Should -Be $job.Id
    }

    It 'Wait-StudioJob carries them too, and Get-StudioJob -Id adds them with -IncludeDatasetVersions' {
        $created = New-StudioJob -Query "dc.read_values(x=[1]).save('@emulator.demo.raw')" -Name 'raw.py'
        $done = Wait-StudioJob -Id $created.Id -PollIntervalSec 1
        $done.DatasetVersions.Version | Should -Be '1.0.1'
        $done.DatasetVersions.Dataset | Should -Be '@emulator.demo.raw'
        (Get-StudioJob -Id $created.Id).DatasetVersions | Should -BeNullOrEmpty
        (Get-StudioJob -Id $created.Id -IncludeDatasetVersions).DatasetVersions.Version | Should -Be '1.0.1'
        (Get-ApiRequest '/api/datachain/datasets/dataset_job_versions')[-1].query | Should -Match "job_id=$($created.Id)"
    }

    It 'Wait-StudioJob still emits the COMPLETE job, with a warning, when its dataset versions cannot be read' {
        $created = New-StudioJob -Query "dc.read_values(x=[1]).save('@emulator.demo.raw')" -Name 'raw.py'
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = '/api/datachain/datasets/dataset_job_versions'; status = 403; count = 1 }
        try {
            $done = Wait-StudioJob -Id $created.Id -PollIntervalSec 1 -WarningVariable warnings -WarningAction SilentlyContinue
        }
        finally { Clear-EmulatorFault $Emu }
        $done.Status | Should -Be 'COMPLETE'
        $done.DatasetVersions | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match "Could not read the dataset versions job $($created.Id) created"
    }

    It 'a pipeline run adds a version to the dataset it rebuilds' {
        $null = Invoke-StudioPipeline -Dataset '@emulator.demo.clean' -Wait -PollIntervalSec 1
        (Get-StudioDataset '@emulator.demo.clean').Versions.Version | Should -Be @('1.0.0', '1.0.1')
        (Get-StudioDataset '@emulator.demo.raw').LatestVersion.Version | Should -Be '1.0.1'
    }
}

Describe 'Completing dataset names' {
    BeforeAll { Reset-Emulator $Emu }

    It 'completes -Name of the dataset cmdlets and -Dataset of Invoke-StudioPipeline, hiding ds_query_ datasets' {
        $line = "Get-StudioDataset -Name '@emulator.demo.c"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'@emulator.demo.clean'")
        $line = 'Set-StudioDataset -Name clea'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'@emulator.demo.clean'")
        $line = 'Invoke-StudioPipeline -Dataset fea'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'@emulator.demo.features'")
        $line = 'Remove-StudioDataset -Name ds_'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
    }

    It 'caches what it fetched' {
        $line = 'Get-StudioDataset -Name la'
        $null = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        Clear-EmulatorRequest $Emu
        $line = 'Save-StudioDataset -Name r'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'@emulator.demo.raw'")
        Get-ApiRequest '/api/datachain/datasets' | Should -BeNullOrEmpty
    }
}
