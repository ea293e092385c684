# Source manifest. build.ps1 lays out out/StudioPS/ and stamps ModuleVersion there from
# <StudioPSVersion> in Directory.Build.props, the one place the version lives.
@{
    RootModule             = 'StudioPS.dll'
    ModuleVersion          = '0.0.0'
    GUID                   = '1f2cde23-9bf3-4128-8b05-fb6461098a12'
    Author                 = 'StudioPS contributors'
    CompanyName            = 'StudioPS contributors'
    Copyright              = '(c) StudioPS contributors. Licensed under the MIT License.'
    Description            = 'Binary cmdlets for the DataChain Studio REST API: connect with a Studio token, list compute clusters, and run and follow jobs and pipelines from PowerShell.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    # Explicit, no wildcards: PowerShell reads this list without loading the dll, and
    # tests/Pester/Module.Tests.ps1 checks that it equals the cmdlets the dll defines.
    CmdletsToExport        = @(
        'Connect-Studio'
        'Disconnect-Studio'
        'Get-StudioConnection'
        'Get-StudioCluster'
        'Get-StudioJob'
        'New-StudioJob'
        'Stop-StudioJob'
        'Wait-StudioJob'
        'Get-StudioJobLog'
        'Send-StudioFile'
        'Invoke-StudioPipeline'
        'Get-StudioPipeline'
        'Suspend-StudioPipeline'
        'Resume-StudioPipeline'
        'Remove-StudioPipelineJob'
        'Wait-StudioPipeline'
        'Show-StudioPipeline'
        'Set-StudioDefaultTeam'
        'Get-StudioDefaultTeam'
        'Get-StudioAccessToken'
        'Get-StudioDataset'
        'Set-StudioDataset'
        'Remove-StudioDataset'
        'Save-StudioDataset'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()

    FormatsToProcess       = @('StudioPS.Format.ps1xml')
    TypesToProcess         = @('StudioPS.Types.ps1xml')

    PrivateData            = @{
        PSData = @{
            Tags         = @('DataChain', 'Studio', 'REST', 'Jobs', 'Pipelines', 'MLOps',
                             'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/studiops/StudioPS'
            LicenseUri   = 'https://github.com/studiops/StudioPS/blob/main/LICENSE'
            ReleaseNotes = 'First release: connections (from parameters, DATACHAIN_STUDIO_* variables or the datachain config file), compute clusters, file uploads, jobs (create, wait, follow logs, cancel) and pipelines (trigger, review, pause, resume, wait, draw) of the DataChain Studio REST API; help for every cmdlet (Get-Help about_StudioPS), table views and tab completion.'
        }
    }
}
