# Get-Help for every exported cmdlet, compiled from docs/help/*.md into en-US/StudioPS.dll-Help.xml by the build.
# A cmdlet or parameter added without help, or help left behind for a parameter that is gone, fails here.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile -LiteralPath $env:STUDIOPS_MODULE_PATH
    $Cmdlets = @($manifest.CmdletsToExport | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $HelpSource = Join-Path $RepoRoot 'docs/help'
    $CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
    $Exported = @((Get-Module StudioPS).ExportedCmdlets.Keys)

    # The parameter names a help file describes under its ## PARAMETERS heading.
    function Get-DocumentedParameter([string] $Path) {
        $inParameters = $false
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($line -match '^## (.+)$') { $inParameters = $Matches[1].Trim() -eq 'PARAMETERS'; continue }
            if ($inParameters -and $line -match '^### -(\w+)\s*$') { $Matches[1] }
        }
    }
}

Describe 'Help for <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $Command = Get-Command -Name $Name -Module StudioPS
        $Help = Get-Help -Name $Name -Full
    }

    It 'comes from a help file docs/help/<Name>.md, not from the syntax alone' {
        Join-Path $HelpSource "$Name.md" | Should -Exist
        # Without MAML, Get-Help makes the synopsis from the syntax and has no description.
        $Help.Synopsis | Should -Not -BeLike "*$Name *-*"
        $Help.Synopsis.Length | Should -BeGreaterThan 20
        ($Help.description.Text -join ' ').Length | Should -BeGreaterThan 80
    }

    It 'describes every parameter' {
        $parameters = @($Command.Parameters.Keys | Where-Object { $_ -notin $CommonParameters })
        $parameters.Count | Should -BeGreaterThan 0
        $undescribed = foreach ($parameter in $parameters) {
            $entry = $Help.parameters.parameter | Where-Object name -eq $parameter
            if (-not $entry -or -not ($entry.description.Text -join '').Trim()) { $parameter }
        }
        $undescribed | Should -BeNullOrEmpty -Because "every parameter of $Name needs a '### -Name' entry in docs/help/$Name.md (or docs/help/Shared-Parameters.md)"
    }

    It 'describes no parameter the cmdlet does not have' {
        $stale = @(Get-DocumentedParameter (Join-Path $HelpSource "$Name.md") | Where-Object { -not $Command.Parameters.ContainsKey($_) })
        $stale | Should -BeNullOrEmpty
    }

    It 'shows the parameter facts of the code: required, position, pipeline input and default' {
        foreach ($entry in $Help.parameters.parameter) {
            $metadata = $Command.Parameters[$entry.name]
            $metadata | Should -Not -BeNullOrEmpty -Because "-$($entry.name) is in the help"
            $byPropertyName = @($metadata.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
            $byValue = @($metadata.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
            ($entry.pipelineInput -like '*ByPropertyName*') | Should -Be $byPropertyName -Because "-$($entry.name) of $Name"
            ($entry.pipelineInput -like '*ByValue*') | Should -Be $byValue -Because "-$($entry.name) of $Name"
            $mandatoryEverywhere = @($metadata.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
            ($entry.required -eq 'true') | Should -Be $mandatoryEverywhere -Because "-$($entry.name) of $Name"
        }
    }

    It 'has at least two examples, each with code that parses and an explanation, one of them shaped like a runbook' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Match ([regex]::Escape($Name))
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "the code of '$($example.title)' must be valid PowerShell"
            ($example.remarks.Text -join ' ').Trim().Length | Should -BeGreaterThan 20 -Because "'$($example.title)' needs an explanation"
        }
        # Runbook-shaped: errors stop it, or it turns the outcome into an exit code.
        @($examples | Where-Object { $_.code -match "\`$ErrorActionPreference = 'Stop'|-ErrorAction Stop|\bexit\b" }).Count |
            Should -BeGreaterOrEqual 1
    }

    It 'names its input and output types, and every [OutputType] of the cmdlet among the outputs' {
        @($Help.inputTypes.inputType.type.name | Where-Object { $_ }).Count | Should -BeGreaterOrEqual 1
        $outputs = @($Help.returnValues.returnValue.type.name)
        $outputs.Count | Should -BeGreaterOrEqual 1
        foreach ($type in $Command.OutputType.Type | Where-Object { $_ -ne [void] }) {
            $outputs | Should -Contain $type.FullName
        }
    }

    It 'links to related commands that exist' {
        $links = @($Help.relatedLinks.navigationLink.linkText)
        $links.Count | Should -BeGreaterOrEqual 2
        foreach ($link in $links | Where-Object { $_ -match '^\w+-\w+$' }) {
            $link | Should -BeIn $Exported
        }
    }
}

Describe 'Help in a console' {
    It 'Get-Help New-StudioJob -Examples shows the examples with their code' {
        $text = Get-Help New-StudioJob -Examples | Out-String -Width 120
        $text | Should -Match 'Example 1: Run a script file and wait for it'
        $text | Should -Match ([regex]::Escape('$job = New-StudioJob -Path ./train.py -Wait'))
        $text | Should -Match 'Example 2:'
    }

    It 'Get-Help New-StudioJob -Parameter Wait describes the parameter and its default' {
        $text = Get-Help New-StudioJob -Parameter Wait | Out-String -Width 120
        $text | Should -Match 'Wait for the job to end'
        $text | Should -Match 'Default value\s+False'
        (Get-Help New-StudioJob -Parameter PollIntervalSec | Out-String) | Should -Match 'Default value\s+2'
    }

    It 'the syntax lists each parameter set with its positional parameter first' {
        $syntax = Get-Help Get-StudioJob -Full | ForEach-Object { $_.syntax.syntaxItem }
        @($syntax).Count | Should -Be 2
        $idSet = $syntax | Where-Object { $_.parameter[0].name -eq 'Id' }
        $idSet.parameter[0].position | Should -Be '0'
        $idSet.parameter[0].required | Should -Be 'true'
    }

    It 'Get-Help about_StudioPS explains connecting, runbooks and the emulator' {
        $help = Get-Help about_StudioPS | Out-String
        $help | Should -Match 'about_StudioPS'
        $help | Should -Match 'RUNBOOKS'
        $help | Should -Match 'DATACHAIN_STUDIO_TOKEN'
        $help | Should -Match 'build.ps1 -Task Demo'
    }
}

Describe 'Examples for signing in and out' {
    # Every parameter the sign-in added (Connect-Studio -UseDeviceCode and -Save, Disconnect-Studio -Revoke)
    # and every parameter of its new cmdlets appears in one of that cmdlet's examples.
    It '<Cmdlet> has an example that uses -<Parameter>' -ForEach @(
        foreach ($parameter in 'UseDeviceCode', 'TokenName', 'Scope', 'ExpiresInDays', 'NoBrowser', 'Save', 'ConfigScope', 'Force') { @{ Cmdlet = 'Connect-Studio'; Parameter = $parameter } }
        foreach ($parameter in 'Revoke', 'ConfigScope') { @{ Cmdlet = 'Disconnect-Studio'; Parameter = $parameter } }
        foreach ($parameter in 'Name', 'ConfigScope', 'PassThru') { @{ Cmdlet = 'Set-StudioDefaultTeam'; Parameter = $parameter } }
        @{ Cmdlet = 'Get-StudioDefaultTeam'; Parameter = 'ConfigScope' }
        foreach ($parameter in 'ConfigScope', 'AsPlainText') { @{ Cmdlet = 'Get-StudioAccessToken'; Parameter = $parameter } }
    ) {
        (Get-Command $Cmdlet).Parameters.ContainsKey($Parameter) | Should -BeTrue
        $lines = @((Get-Help $Cmdlet -Examples).examples.example.code -split "`r?`n")
        @($lines | Where-Object { $_ -match "$([regex]::Escape($Cmdlet))\b.*\s-$Parameter\b" }).Count | Should -BeGreaterOrEqual 1
    }
}

Describe 'Error ids the help names' {
    It 'exist in the code: every CamelCase word near "error" in the help and README is an id the module writes, or a known PowerShell word' {
        # Words that sit near "error" in the documents and are not StudioPS error ids: PowerShell's own
        # vocabulary (categories, preferences, ErrorRecord members, its own binding error), property names
        # of StudioPS objects, and names.
        $known = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        foreach ($word in [Enum]::GetNames([System.Management.Automation.ErrorCategory]) + [Enum]::GetNames([System.Management.Automation.ActionPreference])) { $null = $known.Add($word) }
        foreach ($word in [System.Management.Automation.ErrorRecord].GetProperties() | ForEach-Object Name) { $null = $known.Add($word) }
        foreach ($assembly in [StudioPS.Commands.StudioCmdlet].Assembly, [StudioPS.Models.StudioJob].Assembly) {
            foreach ($word in $assembly.GetExportedTypes() | ForEach-Object { $_.GetProperties() } | ForEach-Object Name) { $null = $known.Add($word) }
        }
        # Type names the README's layout and the help mention (the module's and Core's own types), and
        # names from the sign-in guidance (a SecureString from SecretManagement, a secret called StudioToken).
        foreach ($assembly in [StudioPS.Commands.StudioCmdlet].Assembly, [StudioPS.Models.StudioJob].Assembly) {
            foreach ($word in $assembly.GetTypes() | ForEach-Object Name) { $null = $known.Add($word) }
        }
        foreach ($word in 'PowerShell', 'StudioPS', 'DataChain', 'ParameterArgumentValidationError', 'ParameterBindingException',
            'SecureString', 'SecretManagement', 'StudioToken') { $null = $known.Add($word) }

        $ids = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        foreach ($file in Get-ChildItem -Path (Join-Path $RepoRoot 'src') -Recurse -Filter '*.cs' -File | Where-Object FullName -notmatch '[\\/](bin|obj)[\\/]') {
            foreach ($m in [regex]::Matches((Get-Content -LiteralPath $file.FullName -Raw), '"([A-Z][a-z]+(?:[A-Z][a-z]*)+)"')) { $null = $ids.Add($m.Groups[1].Value) }
        }

        $named = foreach ($file in @(Get-ChildItem -Path (Join-Path $HelpSource '*.md') -File) + @(Get-Item -LiteralPath (Join-Path $RepoRoot 'README.md'))) {
            $text = Get-Content -LiteralPath $file.FullName -Raw
            foreach ($m in [regex]::Matches($text, '(?<![-$.\w])([A-Z][a-z]+(?:[A-Z][a-z]*)+)(?![\w-])')) {
                $from = [Math]::Max(0, $m.Index - 60)
                $near = $text.Substring($from, [Math]::Min($text.Length, $m.Index + $m.Length + 60) - $from)
                if ($near -match '(?i)error') { [pscustomobject]@{ Word = $m.Groups[1].Value; File = $file.Name } }
            }
        }
        $named.Count | Should -BeGreaterThan 5 -Because 'the help names JobFailed, WaitTimeout and others'
        $unknown = @($named | Where-Object { -not $known.Contains($_.Word) -and -not $ids.Contains($_.Word) } | ForEach-Object { "$($_.Word) ($($_.File))" } | Sort-Object -Unique)
        $unknown | Should -BeNullOrEmpty -Because 'an error id named in the help must be one the module writes'
        foreach ($id in 'JobFailed', 'JobCanceled', 'WaitTimeout', 'TokenNotFound', 'ClusterNotFound') { $ids.Contains($id) | Should -BeTrue -Because $id }
    }
}

Describe 'Help for the dataset cmdlets' {
    It 'shows every parameter of <Name> in an example' -ForEach @(
        @{ Name = 'Get-StudioDataset' }, @{ Name = 'Set-StudioDataset' }, @{ Name = 'Remove-StudioDataset' }, @{ Name = 'Save-StudioDataset' }
    ) {
        # Their own parameters; -Team and -Connection are shared and shown once, in Shared-Parameters.md.
        $command = Get-Command -Name $Name -Module StudioPS
        $ignored = @([System.Management.Automation.Cmdlet]::CommonParameters) + [System.Management.Automation.Cmdlet]::OptionalCommonParameters + 'Team', 'Connection'
        $code = @((Get-Help -Name $Name -Full).examples.example.code) -join "`n"
        $missing = @($command.Parameters.Keys | Where-Object { $_ -notin $ignored -and $code -notmatch "(?i)-$_\b" })
        $missing | Should -BeNullOrEmpty -Because "docs/help/$Name.md needs an example for each of its parameters"
    }
}
