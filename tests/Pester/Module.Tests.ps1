# The laid-out module (out/StudioPS) as a user receives it: its manifest, its folder, and importing it.
# Run through build.ps1 -Task Test, which sets STUDIOPS_MODULE_PATH to out/StudioPS/StudioPS.psd1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force

    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $ManifestPath = $env:STUDIOPS_MODULE_PATH
    if (-not $ManifestPath -or -not (Test-Path -LiteralPath $ManifestPath)) {
        throw 'Set STUDIOPS_MODULE_PATH to the laid-out out/StudioPS/StudioPS.psd1 (build.ps1 -Task Test does).'
    }
    $ModuleDir = Split-Path -Parent $ManifestPath
    $Manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath

    $props = [xml](Get-Content -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props') -Raw)
    $ExpectedVersion = $props.SelectSingleNode('/Project/PropertyGroup/StudioPSVersion').InnerText.Trim()

    # The dependency lists live once, in build.ps1; read them from its syntax tree rather than copy them.
    function Get-BuildScriptList([string] $VariableName) {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile(
            (Join-Path $RepoRoot 'build.ps1'), [ref]$null, [ref]$null)
        $assignments = @($ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                    $node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
                    $node.Left.VariablePath.UserPath -eq $VariableName
                }, $false))
        if ($assignments.Count -ne 1) {
            throw "build.ps1 must assign `$$VariableName exactly once at the top level."
        }
        @($assignments[0].Right.Expression.SafeGetValue())
    }
    $Allowlist = Get-BuildScriptList 'ModuleDependencyAllowlist'
    $Excluded = Get-BuildScriptList 'ModuleDependencyExcluded'

    function Get-CmdletNameFromAssembly([System.Reflection.Assembly] $Assembly) {
        foreach ($type in $Assembly.GetExportedTypes()) {
            if ($type.IsAbstract -or -not $type.IsSubclassOf([System.Management.Automation.Cmdlet])) { continue }
            foreach ($attribute in $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)) {
                '{0}-{1}' -f $attribute.VerbName, $attribute.NounName
            }
        }
    }

    function ConvertTo-SingleQuoted([string] $Text) {
        "'" + $Text.Replace("'", "''") + "'"
    }
}

Describe 'The StudioPS manifest' {
    It 'passes Test-ModuleManifest with StudioPS.dll as its root module' {
        $info = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop

        $info.Name | Should -Be 'StudioPS'
        $info.RootModule | Should -Be 'StudioPS.dll'
        $info.Guid | Should -Be '1f2cde23-9bf3-4128-8b05-fb6461098a12'
    }

    It 'carries the StudioPSVersion of Directory.Build.props as ModuleVersion' {
        $Manifest.ModuleVersion | Should -Be $ExpectedVersion
        (Test-ModuleManifest -Path $ManifestPath).Version | Should -Be ([version]$ExpectedVersion)
    }

    It 'declares Windows PowerShell 5.1 on .NET Framework 4.7.2 and PowerShell 7 as its editions' {
        @($Manifest.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
        $Manifest.PowerShellVersion | Should -Be '5.1'
        $Manifest.DotNetFrameworkVersion | Should -Be '4.7.2'
    }

    It 'lists its cmdlets by name and exports no functions, aliases or variables' {
        $Manifest.CmdletsToExport.Count | Should -BeGreaterThan 0
        $wildcards = @($Manifest.CmdletsToExport |
                Where-Object { [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($_) })
        $wildcards | Should -BeNullOrEmpty
        @($Manifest.FunctionsToExport).Count | Should -Be 0
        @($Manifest.AliasesToExport).Count | Should -Be 0
        @($Manifest.VariablesToExport).Count | Should -Be 0
    }

    It 'carries the gallery tags for both editions and all three platforms' {
        $tags = $Manifest.PrivateData.PSData.Tags
        foreach ($tag in 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS', 'DataChain', 'Studio') {
            $tags | Should -Contain $tag
        }
        $Manifest.PrivateData.PSData.ProjectUri | Should -Be 'https://github.com/studiops/StudioPS'
        $Manifest.PrivateData.PSData.LicenseUri | Should -Be 'https://github.com/studiops/StudioPS/blob/main/LICENSE'
    }
}

Describe 'The out/StudioPS folder' {
    It 'holds every dependency DLL that build.ps1 allowlists' {
        foreach ($name in $Allowlist) {
            Join-Path $ModuleDir $name | Should -Exist -Because "$name is allowlisted for Windows PowerShell 5.1"
        }
    }

    It 'holds no DLL other than StudioPS.dll and the allowlist' {
        $expected = @(@('StudioPS.dll') + $Allowlist | Sort-Object)
        $actual = @(Get-ChildItem -LiteralPath $ModuleDir -Filter '*.dll' -File | ForEach-Object Name | Sort-Object)

        $actual | Should -Be $expected
        foreach ($name in $Excluded) {
            Join-Path $ModuleDir $name | Should -Not -Exist -Because 'the host PowerShell brings its own'
        }
    }

    It 'holds every format and type file the manifest names' {
        foreach ($name in @($Manifest['FormatsToProcess']) + @($Manifest['TypesToProcess']) | Where-Object { $_ }) {
            Join-Path $ModuleDir $name | Should -Exist
        }
    }
}

Describe 'Importing StudioPS' {
    BeforeAll {
        $Module = Import-Module -Name $ManifestPath -Force -PassThru -ErrorAction Stop
    }

    AfterAll {
        Remove-Module -Name StudioPS -Force -ErrorAction SilentlyContinue
    }

    It 'loads StudioPS.dll from the module folder with the manifest version' {
        $Module.Version | Should -Be ([version]$ExpectedVersion)
        $Module.ImplementingAssembly.Location | Should -Be (Join-Path $ModuleDir 'StudioPS.dll')
        $Module.ImplementingAssembly.GetName().Version.ToString(3) | Should -Be ([version]$ExpectedVersion).ToString(3)
    }

    It 'exports exactly the cmdlets the manifest lists' {
        @((Get-Module -Name StudioPS).ExportedCmdlets.Keys | Sort-Object) |
            Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'lists in the manifest exactly the cmdlets the dll defines' {
        @(Get-CmdletNameFromAssembly -Assembly $Module.ImplementingAssembly | Sort-Object) |
            Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'imports in a fresh PowerShell process' {
        $run = Invoke-ChildPowerShell -Command (@(
                '$ErrorActionPreference = ''Stop'''
                "`$module = Import-Module -Name $(ConvertTo-SingleQuoted $ManifestPath) -PassThru"
                '$module.Version.ToString()'
                '@($module.ExportedCmdlets.Keys | Sort-Object) -join '','''
            ) -join "`n")

        $run.Output -join "`n" | Should -Be ((
                $ExpectedVersion,
                (@($Manifest.CmdletsToExport | Sort-Object) -join ',')
            ) -join "`n")
        $run.ExitCode | Should -Be 0
    }

    It 'imports again after Remove-Module in the same process' {
        $run = Invoke-ChildPowerShell -Command (@(
                '$ErrorActionPreference = ''Stop'''
                "Import-Module -Name $(ConvertTo-SingleQuoted $ManifestPath)"
                'Remove-Module -Name StudioPS'
                '"after remove: {0} module, Get-StudioCluster found: {1}" -f @(Get-Module StudioPS).Count, [bool](Get-Command Get-StudioCluster -ErrorAction SilentlyContinue)'
                "`$module = Import-Module -Name $(ConvertTo-SingleQuoted $ManifestPath) -PassThru"
                '"after import: {0} module, {1} cmdlets, Get-StudioCluster found: {2}" -f @(Get-Module StudioPS).Count, $module.ExportedCmdlets.Count, [bool](Get-Command Get-StudioCluster -ErrorAction SilentlyContinue)'
            ) -join "`n")

        $run.Output | Should -Be @(
            'after remove: 0 module, Get-StudioCluster found: False'
            "after import: 1 module, $($Manifest.CmdletsToExport.Count) cmdlets, Get-StudioCluster found: True"
        )
        $run.ExitCode | Should -Be 0
    }
}

Describe 'The type data StudioPS loads' {
    BeforeAll { Import-Module $ManifestPath -Force }

    It 'gives each emitted type a short default property set for list output without a view' {
        (Get-TypeData StudioPS.Models.StudioJob).DefaultDisplayPropertySet.ReferencedProperties |
            Should -Be @('Id', 'Name', 'Status', 'CreatedAt', 'FinishedAt', 'Duration', 'ExitCode', 'ErrorMessage', 'ClusterName', 'Url')
        (Get-TypeData StudioPS.Models.StudioPipeline).DefaultDisplayPropertySet.ReferencedProperties | Should -Contain 'PercentComplete'
        (Get-TypeData StudioPS.Models.StudioCluster).DefaultDisplayPropertySet.ReferencedProperties | Should -Contain 'IsDefault'
        (Get-TypeData StudioPS.Models.StudioFile).DefaultDisplayPropertySet.ReferencedProperties | Should -Contain 'State'
    }
}

