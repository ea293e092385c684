<#
.SYNOPSIS
Builds, tests and runs StudioPS.

.DESCRIPTION
Tasks (run in the order given; a task another one needs runs once):
  Build     builds StudioPS.sln and lays out the module in out/StudioPS/
  Test      Build, then every xunit project (tests/*/*.Tests.csproj) and the Pester suite (tests/Pester)
  Emulator  Build, then runs the Studio emulator in the foreground until Ctrl+C
  Demo      Build, then runs examples/runbook.ps1 against a background emulator
  Bench     Build, then measures StudioPS against Invoke-RestMethod, HttpClient and curl on the emulator
            (bench/Invoke-StudioBench.ps1, Release only) and writes the figures to docs/PERFORMANCE.md
  Package   Build, then writes out/StudioPS.<version>.nupkg in the PowerShell Gallery's layout and
            out/StudioPS.Core.<version>.nupkg, the .NET client library with its XML docs
  Reliability  Build, then the full reliability suite (tests/Reliability) against the emulator's faults;
            its figures go into docs/RELIABILITY.md (the fast part runs in Test)
  Clean     removes out/ and the bin/ and obj/ folders of the projects

Run it with the pinned PowerShell from the repository root:
  dotnet tool restore && dotnet pwsh -NoProfile ./build.ps1 -Task Test
Lists (-Task Clean,Test, -EmulatorArgs) need PowerShell's parser, which -File does not apply:
  dotnet pwsh -NoProfile -c './build.ps1 -Task Clean,Test'

To add a task: add its name to the ValidateSet of -Task, write an Invoke-<Name>Task function and add
one line to $TaskTable.

.PARAMETER Suite
Test only: All (default), XUnit or Pester.

.PARAMETER Filter
Test only: runs the tests whose full name contains this text, in any case (xunit FullyQualifiedName~text,
Pester FullName *text*; tools/TestRun.psm1).

.PARAMETER EmulatorArgs
Emulator only: extra arguments for the emulator, after --port 0.

.EXAMPLE
dotnet pwsh -NoProfile ./build.ps1 -Task Test -Suite Pester -Filter Module
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Emulator', 'Demo', 'Package', 'Bench', 'Reliability', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateSet('All', 'XUnit', 'Pester')]
    [string] $Suite = 'All',

    [string] $Filter,

    [string[]] $EmulatorArgs = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
# Child pwsh processes (Pester, the runbook) then print plain text too, as this script does below.
$env:NO_COLOR = '1'

$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$ModuleOutDir = Join-Path $OutDir 'StudioPS'
$ModuleManifestOut = Join-Path $ModuleOutDir 'StudioPS.psd1'
$TestResultsDir = Join-Path $OutDir 'TestResults'
$ModuleSourceDir = Join-Path $RepoRoot 'src/StudioPS'
$ModuleBinDir = Join-Path $ModuleSourceDir "bin/$Configuration/netstandard2.0"
$EmulatorDll = Join-Path $RepoRoot "src/StudioPS.Emulator/bin/$Configuration/net10.0/StudioPS.Emulator.dll"

# The DLLs the netstandard2.0 build puts beside StudioPS.dll that ship in out/StudioPS/.
# Windows PowerShell 5.1 (.NET Framework 4.7.2) has none of them and loads these copies; PowerShell 7
# carries newer ones and loads its own. All come from System.Net.Http.Json 8.0.1 and its closure.
# A new dependency is a conscious decision: the build fails on a DLL that is in neither list, and
# tests/Pester/Module.Tests.ps1 reads this list to check the laid-out folder.
$ModuleDependencyAllowlist = @(
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'StudioPS.Core.dll'
    'System.Buffers.dll'
    'System.Memory.dll'
    'System.Net.Http.Json.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Text.Encodings.Web.dll'
    'System.Text.Json.dll'
    'System.Threading.Tasks.Extensions.dll'
    # Issue 15 (Save-StudioDataset): export parts are LZ4 frames, read by Core's own frame reader with
    # K4os.Compression.LZ4 1.3.8's block decoder and K4os.Hash.xxHash 1.0.8 (netstandard2.0, no native
    # code). Both ship: Windows PowerShell has neither. (K4os's frame stream and the System.IO.Pipelines
    # it needed are no longer used.)
    'K4os.Compression.LZ4.dll'
    'K4os.Hash.xxHash.dll'
)
# In the build output but never shipped: every PowerShell host brings its own.
$ModuleDependencyExcluded = @(
    'System.Management.Automation.dll'
)

function Write-Step([string] $Message) {
    Write-Host "==> $Message"
}

function Invoke-Dotnet {
    # Runs dotnet with the given arguments and stops the build when it fails.
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    Write-Host "> dotnet $($ArgumentList -join ' ')"
    & dotnet @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($ArgumentList[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-StudioPSVersion {
    $propsPath = Join-Path $RepoRoot 'Directory.Build.props'
    $props = [xml](Get-Content -LiteralPath $propsPath -Raw)
    $nodes = @($props.SelectNodes('/Project/PropertyGroup/StudioPSVersion'))
    if ($nodes.Count -ne 1) {
        throw "Directory.Build.props must define <StudioPSVersion> exactly once; it defines it $($nodes.Count) times."
    }
    $version = $nodes[0].InnerText.Trim()
    # ModuleVersion is a System.Version: no prerelease suffix (that goes to PSData.Prerelease).
    if ($version -notmatch '^\d+\.\d+\.\d+(\.\d+)?$') {
        throw "StudioPSVersion '$version' in Directory.Build.props is not MAJOR.MINOR.PATCH[.REVISION], which ModuleVersion requires."
    }
    $version
}

function Get-ModuleRuntimeDependency {
    # The runtime DLLs the build resolved for StudioPS, from its deps.json, plus any DLL lying in the
    # output folder, so that neither a new package nor a stray file slips into the module unseen.
    $depsPath = Join-Path $ModuleBinDir 'StudioPS.deps.json'
    if (-not (Test-Path -LiteralPath $depsPath)) {
        throw "The build did not write $depsPath; cannot tell which DLLs StudioPS depends on."
    }
    $deps = Get-Content -LiteralPath $depsPath -Raw | ConvertFrom-Json -AsHashtable
    $names = [System.Collections.Generic.SortedSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    foreach ($target in $deps.targets.Values) {
        foreach ($library in $target.Values) {
            if ($library.ContainsKey('runtime')) {
                foreach ($asset in $library.runtime.Keys) { $null = $names.Add([IO.Path]::GetFileName($asset)) }
            }
        }
    }
    foreach ($file in Get-ChildItem -LiteralPath $ModuleBinDir -Filter '*.dll' -File) {
        $null = $names.Add($file.Name)
    }
    $null = $names.Remove('StudioPS.dll')
    @($names)
}

function Assert-ModuleDependency {
    $dependencies = Get-ModuleRuntimeDependency
    $problems = [System.Collections.Generic.List[string]]::new()
    foreach ($name in $dependencies) {
        if ($name -notin $ModuleDependencyAllowlist -and $name -notin $ModuleDependencyExcluded) {
            $problems.Add("$name is in the build output but in neither `$ModuleDependencyAllowlist nor `$ModuleDependencyExcluded of build.ps1. Decide whether the module ships it (Windows PowerShell 5.1 needs every runtime dependency in the module folder; check it loads in pwsh 7.6.9), then add it to one list. If it is a leftover of a removed package, run ./build.ps1 -Task Clean.")
        }
    }
    foreach ($name in $ModuleDependencyAllowlist) {
        if ($name -notin $dependencies) {
            $problems.Add("$name is allowlisted in build.ps1 but the build no longer produces it; remove it from `$ModuleDependencyAllowlist if the dependency is gone.")
        }
        elseif (-not (Test-Path -LiteralPath (Join-Path $ModuleBinDir $name))) {
            $problems.Add("$name is a dependency of StudioPS but is missing from $ModuleBinDir.")
        }
    }
    if ($problems.Count -gt 0) {
        throw ("The module's dependency DLLs do not match build.ps1:`n  " + ($problems -join "`n  "))
    }
}

function Write-ModuleManifest([string] $Version) {
    $source = Get-Content -LiteralPath (Join-Path $RepoRoot 'StudioPS.psd1') -Raw
    $pattern = "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'"
    $found = [regex]::Matches($source, $pattern).Count
    if ($found -ne 1) {
        throw "StudioPS.psd1 must hold exactly one line ModuleVersion = '...' for the build to stamp; found $found."
    }
    $stamped = [regex]::Replace($source, $pattern, "`${1}'$Version'")
    # UTF-8 with a BOM: Windows PowerShell 5.1 reads a BOM-less file in the ANSI code page.
    [IO.File]::WriteAllText($ModuleManifestOut, $stamped, [Text.UTF8Encoding]::new($true))

    $manifest = Import-PowerShellDataFile -LiteralPath $ModuleManifestOut
    if ($manifest.ModuleVersion -ne $Version) {
        throw "The laid-out manifest says ModuleVersion '$($manifest.ModuleVersion)', expected '$Version'."
    }
    foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
        $wildcards = @($manifest[$key] | Where-Object { [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($_) })
        if ($wildcards.Count -gt 0) {
            throw "StudioPS.psd1 $key must list names, not wildcards: $($wildcards -join ', ')."
        }
    }
    $manifest
}

function Invoke-BuildTask {
    $version = Get-StudioPSVersion
    Write-Step "Build StudioPS $version ($Configuration)"
    Invoke-Dotnet -ArgumentList 'build', (Join-Path $RepoRoot 'StudioPS.sln'), '-c', $Configuration
    Assert-ModuleDependency

    Write-Step "Lay out $ModuleOutDir"
    if (Test-Path -LiteralPath $ModuleOutDir) {
        Remove-Item -LiteralPath $ModuleOutDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $ModuleOutDir
    $manifest = Write-ModuleManifest -Version $version

    $moduleFiles = @('StudioPS.dll', 'StudioPS.pdb') + $ModuleDependencyAllowlist
    foreach ($name in $moduleFiles) {
        Copy-Item -LiteralPath (Join-Path $ModuleBinDir $name) -Destination $ModuleOutDir
    }
    # Format and type files are required as soon as the manifest names them.
    foreach ($name in @($manifest['FormatsToProcess']) + @($manifest['TypesToProcess']) | Where-Object { $_ }) {
        $path = Join-Path $ModuleSourceDir $name
        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
            throw "StudioPS.psd1 lists $name but src/StudioPS/$name does not exist."
        }
        Copy-Item -LiteralPath $path -Destination $ModuleOutDir
    }
    $helpDir = Join-Path $ModuleSourceDir 'en-US'
    if (Test-Path -LiteralPath $helpDir -PathType Container) {
        Copy-Item -LiteralPath $helpDir -Destination $ModuleOutDir -Recurse
    }
    # docs/help/*.md become en-US/StudioPS.dll-Help.xml; a child process reads the cmdlets' parameters
    # from the laid-out module, so this process never loads StudioPS.dll.
    Write-Step 'Help: docs/help -> en-US'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tools/New-HelpXml.ps1') -ModulePath $ModuleManifestOut `
        -SourcePath (Join-Path $RepoRoot 'docs/help') -OutputPath (Join-Path $ModuleOutDir 'en-US') | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "tools/New-HelpXml.ps1 failed with exit code $LASTEXITCODE."
    }

    Get-ChildItem -LiteralPath $ModuleOutDir -Recurse -File | Sort-Object FullName | ForEach-Object {
        Write-Host ('  {0,-50} {1,10:N0} bytes' -f [IO.Path]::GetRelativePath($ModuleOutDir, $_.FullName), $_.Length)
    }
}

function Get-PesterModulePath {
    $restoreProject = Join-Path $RepoRoot 'tests/PesterRestore/PesterRestore.csproj'
    $project = [xml](Get-Content -LiteralPath $restoreProject -Raw)
    $download = $project.SelectSingleNode("//PackageDownload[@Include='Pester']")
    if (-not $download -or $download.Version -notmatch '^\[(\d+\.\d+\.\d+)\]$') {
        throw "$restoreProject must hold <PackageDownload Include=`"Pester`" Version=`"[x.y.z]`" />."
    }
    $pesterVersion = $Matches[1]
    Invoke-Dotnet -ArgumentList 'restore', $restoreProject

    $packagesRoot = $env:NUGET_PACKAGES
    if (-not $packagesRoot) {
        $locals = & dotnet nuget locals global-packages --list
        if ($LASTEXITCODE -ne 0) {
            throw "dotnet nuget locals global-packages --list failed with exit code $LASTEXITCODE."
        }
        $line = @($locals) -match 'global-packages:\s*(.+)$' | Select-Object -First 1
        if (-not $line -or $line -notmatch 'global-packages:\s*(.+)$') {
            throw "Could not read the NuGet global packages folder from: $locals"
        }
        $packagesRoot = $Matches[1].Trim()
    }
    $pesterPath = Join-Path $packagesRoot "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $pesterPath -PathType Leaf)) {
        throw "Pester $pesterVersion was restored but $pesterPath does not exist."
    }
    $pesterPath
}

function New-SuiteResult([string] $Name, [int] $Passed, [int] $Failed, [int] $Skipped, [string] $Problem,
    [string[]] $Failures = @()) {
    [pscustomobject]@{
        Name = $Name; Passed = $Passed; Failed = $Failed; Skipped = $Skipped; Problem = $Problem; Failures = $Failures
    }
}

function Invoke-XUnitSuite([string] $ProjectPath) {
    $name = [IO.Path]::GetFileNameWithoutExtension($ProjectPath)
    $trxName = "$name.trx"
    $trxPath = Join-Path $TestResultsDir $trxName
    Remove-Item -LiteralPath $trxPath -ErrorAction SilentlyContinue

    $arguments = @('test', $ProjectPath, '--no-build', '-c', $Configuration,
        '--logger', "trx;LogFileName=$trxName", '--results-directory', $TestResultsDir)
    if ($Filter) {
        $arguments += '--filter', (ConvertTo-XUnitFilter -Text $Filter)
    }
    Write-Step "xunit: $name"
    Write-Host "> dotnet $($arguments -join ' ')"
    & dotnet @arguments | Out-Host
    $exitCode = $LASTEXITCODE

    if (-not (Test-Path -LiteralPath $trxPath)) {
        return New-SuiteResult $name 0 0 0 "dotnet test exited with code $exitCode and wrote no $trxName (build or test host failure)."
    }
    $trx = Read-TrxResult -Path $trxPath
    $passed = $trx.Passed
    $failed = $trx.Failed
    $problem = $null
    if ($exitCode -ne 0 -and $failed -eq 0) {
        $problem = "dotnet test exited with code $exitCode without a failed test: the test host crashed or the run was aborted (see $trxName)."
    }
    elseif ($passed + $failed -eq 0 -and -not $Filter) {
        $problem = 'ran no tests.'
    }
    New-SuiteResult $name $passed $failed $trx.Skipped $problem $trx.Failures
}

function Invoke-PesterSuite([string] $PesterPath) {
    $resultPath = Join-Path $TestResultsDir 'pester.json'
    Remove-Item -LiteralPath $resultPath -ErrorAction SilentlyContinue
    $arguments = @('pwsh', '-NoProfile', '-NonInteractive',
        '-File', (Join-Path $RepoRoot 'tests/Pester/Invoke-PesterRun.ps1'),
        '-PesterPath', $PesterPath,
        '-ModulePath', $ModuleManifestOut,
        '-EmulatorPath', $EmulatorDll,
        '-ResultPath', $resultPath)
    Write-Step 'Pester: tests/Pester'
    # A child process, so no test ever loads StudioPS.dll into the build's own process.
    if ($Filter) {
        # Not through the splatted array: PowerShell expands a splatted native argument that holds a wildcard
        # like a path when a file matches it (`*Bench*` became the folder name `bench`, which selected nothing).
        # Any case, wildcard characters of the text taken literally (tools/TestRun.psm1).
        $pesterFilter = ConvertTo-PesterFilter -Text $Filter
        & dotnet @arguments -FullNameFilter "$pesterFilter" | Out-Host
    }
    else {
        & dotnet @arguments | Out-Host
    }
    $exitCode = $LASTEXITCODE

    if (-not (Test-Path -LiteralPath $resultPath)) {
        return New-SuiteResult 'Pester' 0 0 0 "the Pester run exited with code $exitCode and wrote no result file."
    }
    $result = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
    $problem = $null
    if ($exitCode -ne 0 -and [int]$result.failed -eq 0) {
        $problem = "the Pester run exited with code $exitCode without a failed test."
    }
    elseif ([int]$result.total -eq 0 -and -not $Filter) {
        $problem = 'ran no tests.'
    }
    New-SuiteResult 'Pester' $result.passed $result.failed $result.skipped $problem @($result.failures | Where-Object { $_ })
}

function Get-SolutionProjectPath {
    $listed = & dotnet sln (Join-Path $RepoRoot 'StudioPS.sln') list
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet sln list failed with exit code $LASTEXITCODE."
    }
    @($listed | Where-Object { $_ -match '\.csproj\s*$' } | ForEach-Object {
            [IO.Path]::GetFullPath((Join-Path $RepoRoot ($_.Trim() -replace '\\', '/')))
        })
}

function Invoke-TestTask {
    $pesterPath = if ($Suite -in 'All', 'Pester') { Get-PesterModulePath }
    Invoke-Task Build
    $null = New-Item -ItemType Directory -Path $TestResultsDir -Force

    $results = [System.Collections.Generic.List[object]]::new()
    # The tests get a temporary folder of their own: what they leave there is reported as a failure.
    $testTemp = Join-Path $TestResultsDir "tmp-$PID"
    $savedTemp = Enter-TestTempDirectory -Path $testTemp
    try {
        if ($Suite -in 'All', 'XUnit') {
            $projects = @(Get-ChildItem -Path (Join-Path $RepoRoot 'tests/*/*.Tests.csproj') -File | Sort-Object Name)
            if ($projects.Count -eq 0) {
                $results.Add((New-SuiteResult 'xunit' 0 0 0 'no tests/*/*.Tests.csproj project found.'))
            }
            # --no-build relies on the solution build: a test project outside StudioPS.sln would run stale.
            $inSolution = Get-SolutionProjectPath
            foreach ($project in $projects) {
                if ($project.FullName -notin $inSolution) {
                    $results.Add((New-SuiteResult $project.BaseName 0 0 0 "$([IO.Path]::GetRelativePath($RepoRoot, $project.FullName)) is not in StudioPS.sln, so Build does not build it; add it with dotnet sln add."))
                    continue
                }
                $results.Add((Invoke-XUnitSuite -ProjectPath $project.FullName))
            }
        }
        if ($Suite -in 'All', 'Pester') {
            $results.Add((Invoke-PesterSuite -PesterPath $pesterPath))
        }
    }
    finally {
        $left = Exit-TestTempDirectory -Path $testTemp -Saved $savedTemp
    }
    if ($left.Count -gt 0) {
        $results.Add((New-SuiteResult 'temp folder' 0 0 0 "the tests left $($left.Count) item(s) in the temporary folder: $(($left | Select-Object -First 10) -join ', ')."))
    }

    Write-Host ''
    Write-Host 'Test summary'
    foreach ($result in $results) {
        $line = '  {0}: {1} passed, {2} failed, {3} skipped' -f $result.Name, $result.Passed, $result.Failed, $result.Skipped
        if ($result.Problem) { $line += " -- ERROR: $($result.Problem)" }
        Write-Host $line
        foreach ($failure in $result.Failures) {
            Write-Host "    failed: $failure"
        }
    }
    $passed = ($results | Measure-Object -Property Passed -Sum).Sum
    $failed = ($results | Measure-Object -Property Failed -Sum).Sum
    $broken = @($results | Where-Object Problem)
    if ($passed + $failed -eq 0) {
        Write-Host '  ERROR: no test ran.'
    }
    Write-Host "Total: $passed passed, $failed failed"
    if ($failed -gt 0 -or $broken.Count -gt 0 -or $passed + $failed -eq 0) {
        exit 1
    }
}

function Invoke-EmulatorTask {
    Invoke-Task Build
    Write-Step 'Studio emulator (Ctrl+C stops it)'
    & dotnet $EmulatorDll --port 0 @EmulatorArgs
    if ($LASTEXITCODE -ne 0) {
        throw "The emulator exited with code $LASTEXITCODE."
    }
}

function Invoke-DemoTask {
    Invoke-Task Build
    Import-Module (Join-Path $RepoRoot 'tests/Pester/TestSupport.psm1') -Force
    $savedModulePath = $env:STUDIOPS_MODULE_PATH
    $exitCode = $null
    # The runbook sees only the emulator's settings, never the developer's own datachain config.
    $null = Enter-IsolatedStudioEnvironment
    try {
        Write-Step 'Start the Studio emulator'
        $emulator = Start-TestEmulator -EmulatorPath $EmulatorDll
        try {
            Write-Host "  $($emulator.Url), team $($emulator.Team)"
            $env:DATACHAIN_STUDIO_URL = $emulator.Url
            $env:DATACHAIN_STUDIO_TOKEN = $emulator.Token
            $env:DATACHAIN_STUDIO_TEAM = $emulator.Team
            $env:STUDIOPS_MODULE_PATH = $ModuleManifestOut
            Write-Step 'Run examples/runbook.ps1'
            & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'examples/runbook.ps1') | Out-Host
            $exitCode = $LASTEXITCODE
        }
        finally {
            Stop-TestEmulator -Emulator $emulator
        }
    }
    finally {
        Exit-IsolatedStudioEnvironment
        $env:STUDIOPS_MODULE_PATH = $savedModulePath
    }
    if ($exitCode -ne 0) {
        Write-Host "The runbook failed with exit code $exitCode."
        exit $exitCode
    }
    Write-Host 'The runbook succeeded.'
}

function Invoke-PackageTask {
    Invoke-Task Build
    Write-Step 'Package out/StudioPS'
    $package = & (Join-Path $RepoRoot 'tools/New-ModulePackage.ps1') -ModulePath $ModuleOutDir -OutputDirectory $OutDir `
        -LicensePath (Join-Path $RepoRoot 'LICENSE')
    Write-Host ('  {0} {1,10:N0} bytes' -f [IO.Path]::GetRelativePath($RepoRoot, $package.FullName), $package.Length)
    # The .NET client under the module, for .NET programs: a library package with its XML docs.
    $corePackage = & (Join-Path $RepoRoot 'tools/New-CorePackage.ps1') -Configuration $Configuration -OutputDirectory $OutDir
    Write-Host ('  {0} {1,10:N0} bytes' -f [IO.Path]::GetRelativePath($RepoRoot, $corePackage.FullName), $corePackage.Length)
}

function Invoke-BenchTask {
    if ($Configuration -ne 'Release') {
        throw 'Bench measures the Release build; run it without -Configuration Debug.'
    }
    Invoke-Task Build
    Write-Step 'Bench: bench/Invoke-StudioBench.ps1 (docs/PERFORMANCE.md)'
    # A child process, like Pester: the build's own PowerShell never loads StudioPS.dll.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'bench/Invoke-StudioBench.ps1') `
        -ModulePath $ModuleManifestOut -EmulatorPath $EmulatorDll -ReportPath (Join-Path $RepoRoot 'docs/PERFORMANCE.md') | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "bench/Invoke-StudioBench.ps1 failed with exit code $LASTEXITCODE."
    }
}

function Invoke-ReliabilityTask {
    Invoke-Task Build
    Write-Step 'Reliability: tests/Reliability/Invoke-ReliabilitySuite.ps1 -Mode Full (docs/RELIABILITY.md)'
    $report = Join-Path $OutDir 'reliability.txt'
    # A child process, like Pester: the build's own PowerShell never loads StudioPS.dll.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tests/Reliability/Invoke-ReliabilitySuite.ps1') -Mode Full `
        -ModulePath $ModuleManifestOut -EmulatorPath $EmulatorDll -Configuration $Configuration -ReportPath $report | Out-Host
    $exitCode = $LASTEXITCODE
    if (Test-Path -LiteralPath $report) {
        # The figures of the last run replace the block between the markers in docs/RELIABILITY.md.
        $doc = Join-Path $RepoRoot 'docs/RELIABILITY.md'
        $text = Get-Content -LiteralPath $doc -Raw
        $block = "<!-- reliability:begin -->`n``````text`n" + ((Get-Content -LiteralPath $report) -join "`n") + "`n```````n<!-- reliability:end -->"
        $text = [regex]::Replace($text, '(?s)<!-- reliability:begin -->.*?<!-- reliability:end -->', { param($m) $block })
        [IO.File]::WriteAllText($doc, $text)
        Write-Host '  docs/RELIABILITY.md updated with this run''s figures'
    }
    if ($exitCode -ne 0) {
        throw "The reliability suite failed (exit code $exitCode)."
    }
}

function Invoke-CleanTask {
    Write-Step 'Clean'
    $folders = @($OutDir) + @(Get-ChildItem -Path (Join-Path $RepoRoot '*/*/*.csproj') -File | ForEach-Object {
            Join-Path $_.DirectoryName 'bin'
            Join-Path $_.DirectoryName 'obj'
        })
    foreach ($folder in $folders) {
        if (Test-Path -LiteralPath $folder) {
            Write-Host "  remove $([IO.Path]::GetRelativePath($RepoRoot, $folder))"
            Remove-Item -LiteralPath $folder -Recurse -Force
        }
    }
}

$TaskTable = [ordered]@{
    Build    = { Invoke-BuildTask }
    Test     = { Invoke-TestTask }
    Emulator = { Invoke-EmulatorTask }
    Demo     = { Invoke-DemoTask }
    Package  = { Invoke-PackageTask }
    Bench    = { Invoke-BenchTask }
    Reliability = { Invoke-ReliabilityTask }
    Clean    = { Invoke-CleanTask }
}
Import-Module (Join-Path $RepoRoot 'tools/TestRun.psm1') -Force
$CompletedTasks = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)

function Invoke-Task([string] $Name) {
    if ($CompletedTasks.Add($Name)) {
        & $TaskTable[$Name]
    }
}

$declaredTasks = (Get-Command -Name $PSCommandPath).Parameters['Task'].Attributes |
    Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } |
    ForEach-Object ValidValues
$unwired = @($declaredTasks | Where-Object { -not $TaskTable.Contains($_) })
if ($unwired.Count -gt 0) {
    throw "build.ps1 declares the task(s) $($unwired -join ', ') in -Task but has no entry in `$TaskTable."
}

$savedRendering = $null
if (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue) {
    # Plain text: CI logs and the Total line are read by machines.
    $savedRendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText'
}
Push-Location -LiteralPath $RepoRoot
try {
    foreach ($name in $Task) {
        Invoke-Task $name
    }
}
catch {
    # One plain line a CI log shows as is, and where in this script it came from.
    Write-Host "ERROR: $($_.Exception.Message)"
    Write-Host ($_.ScriptStackTrace -split "`n" | Select-Object -First 1)
    exit 1
}
finally {
    Pop-Location
    if ($null -ne $savedRendering) {
        $PSStyle.OutputRendering = $savedRendering
    }
}
