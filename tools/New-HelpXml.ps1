<#
.SYNOPSIS
Compiles the cmdlet help in docs/help/*.md into MAML (en-US/StudioPS.dll-Help.xml) and the about topics
into en-US/about_*.help.txt.

.DESCRIPTION
The markdown says what a person writes (synopsis, description, parameter descriptions, inputs, outputs,
notes, examples, links); the built module says what the code is (parameter sets, types, positions,
pipeline input, aliases, default values), so the two can never disagree about the syntax. The
structure of a help file is described in docs/help/README.md.

build.ps1 -Task Build runs this script in a child PowerShell after laying out out/StudioPS, because
it imports the laid-out module to read its cmdlets. It writes what exists and warns about gaps;
tests/Pester/Help.Tests.ps1 fails on them.

.PARAMETER ModulePath
The laid-out manifest, out/StudioPS/StudioPS.psd1.

.PARAMETER SourcePath
The folder of help markdown, docs/help.

.PARAMETER OutputPath
The folder to write, out/StudioPS/en-US.

.EXAMPLE
dotnet pwsh -NoProfile -File tools/New-HelpXml.ps1 -ModulePath out/StudioPS/StudioPS.psd1 -SourcePath docs/help -OutputPath out/StudioPS/en-US
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutputPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$MamlNamespace = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNamespace = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNamespace = 'http://schemas.microsoft.com/maml/dev/2004/10'

# Described here once: -WhatIf and -Confirm are added by SupportsShouldProcess, not written per cmdlet.
# In a syntax line these follow the cmdlet's own parameters, in this order.
$TrailingParameters = @('Team', 'Connection', 'WhatIf', 'Confirm')

$ShouldProcessHelp = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run and nothing is sent to Studio.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function ConvertFrom-HelpMarkdown {
    <#
    Reads one help markdown file into a hashtable: Name (the H1), Sections (H2 name -> text), and
    Items (H2 name -> ordered H3 name -> text). Code fences are kept verbatim in the text.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $result = @{ Name = $null; Sections = @{}; Items = @{} }
    $section = $null
    $item = $null
    $inFence = $false
    $buffer = [System.Collections.Generic.List[string]]::new()

    $flush = {
        $text = ($buffer -join "`n").Trim("`n")
        if ($null -ne $section) {
            if ($null -ne $item) { $result.Items[$section][$item] = $text }
            elseif ($text) { $result.Sections[$section] = $text }
        }
        $buffer.Clear()
    }

    foreach ($line in (Get-Content -LiteralPath $Path -Encoding utf8)) {
        if ($line -match '^\s*```') { $inFence = -not $inFence; $buffer.Add($line); continue }
        if (-not $inFence -and $line -match '^# (.+?)\s*$' -and -not $result.Name) { $result.Name = $Matches[1]; continue }
        if (-not $inFence -and $line -match '^## (.+?)\s*$') {
            & $flush
            $section = $Matches[1].ToUpperInvariant()
            $item = $null
            $result.Items[$section] = [ordered]@{}
            continue
        }
        if (-not $inFence -and $line -match '^### (.+?)\s*$' -and $null -ne $section) {
            & $flush
            $item = $Matches[1]
            continue
        }
        $buffer.Add($line)
    }
    & $flush
    $result
}

function Split-HelpParagraph {
    <#
    Turns markdown text into the paragraphs Get-Help wraps: lines of one paragraph are joined; a list
    item starts a paragraph of its own; an indented block or a code fence is one paragraph whose lines
    and indentation are kept, as a drawing or a command needs.
    #>
    param([string] $Text)
    if (-not $Text) { return @() }
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    $inBlock = $false
    # Dot-sourced, so it resets $inBlock in this scope.
    $push = {
        if ($current.Count -gt 0) { $paragraphs.Add(($current -join $(if ($inBlock) { "`n" } else { ' ' }))); $current.Clear() }
        $inBlock = $false
    }
    foreach ($line in $Text -split "`n") {
        if ($line -match '^\s*```') {
            . $push
            $inFence = -not $inFence
            $inBlock = $inFence
            continue
        }
        if ($inFence) { $current.Add('    ' + $line); continue }
        if ($line -match '^ {4}\S' -or ($inBlock -and $line -match '^ {4}')) {
            if (-not $inBlock) { . $push; $inBlock = $true }
            $current.Add($line.Substring(4))
            continue
        }
        if ($inBlock) { . $push }
        if ($line.Trim() -eq '') { . $push; continue }
        if ($line -match '^\s*([-*]|\d+\.)\s+') { . $push; $current.Add($line.Trim()); continue }
        $current.Add($line.Trim())
    }
    . $push
    # Markdown emphasis and code marks read as noise in a console.
    $paragraphs | ForEach-Object { $_ -replace '`([^`]+)`', '$1' -replace '\*\*([^*]+)\*\*', '$1' }
}

function Split-Example {
    # An example's text: the first code fence is the code, everything after it the remarks.
    param([string] $Text)
    $lines = $Text -split "`n"
    $code = [System.Collections.Generic.List[string]]::new()
    $remarks = [System.Collections.Generic.List[string]]::new()
    $state = 'before'
    foreach ($line in $lines) {
        switch ($state) {
            'before' { if ($line -match '^\s*```') { $state = 'code' } else { $remarks.Add($line) } }
            'code' { if ($line -match '^\s*```') { $state = 'after' } else { $code.Add($line) } }
            'after' { $remarks.Add($line) }
        }
    }
    @{ Code = ($code -join "`n").TrimEnd(); Remarks = ($remarks -join "`n").Trim() }
}

function Get-TypeDisplayName([type] $Type) {
    if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Nullable`1]) {
        return Get-TypeDisplayName $Type.GetGenericArguments()[0]
    }
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    $Type.Name
}

function Get-ParameterDefault($Instance, [System.Management.Automation.ParameterMetadata] $Parameter) {
    if ($Parameter.SwitchParameter) { return 'False' }
    if ($null -eq $Instance) { return 'None' }
    $property = $Instance.GetType().GetProperty($Parameter.Name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue($Instance)
    if ($null -eq $value) { 'None' } else { [string]$value }
}

function Get-PipelineInputText([System.Management.Automation.ParameterMetadata] $Parameter) {
    $kinds = [System.Collections.Generic.List[string]]::new()
    foreach ($set in $Parameter.ParameterSets.Values) {
        if ($set.ValueFromPipeline -and 'ByValue' -notin $kinds) { $kinds.Add('ByValue') }
        if ($set.ValueFromPipelineByPropertyName -and 'ByPropertyName' -notin $kinds) { $kinds.Add('ByPropertyName') }
    }
    if ($kinds.Count -eq 0) { return 'False' }
    'True ({0})' -f (($kinds | Sort-Object) -join ', ')
}

function Get-ParameterPosition([System.Management.Automation.ParameterMetadata] $Parameter, [string] $SetName) {
    $sets = if ($SetName) { @($Parameter.ParameterSets[$SetName], $Parameter.ParameterSets['__AllParameterSets']) } else { @($Parameter.ParameterSets.Values) }
    foreach ($set in $sets) {
        if ($set -and $set.Position -ge 0) { return [string]$set.Position }
    }
    'named'
}

function Test-ParameterRequired([System.Management.Automation.ParameterMetadata] $Parameter, [string] $SetName) {
    if ($SetName) {
        foreach ($name in $SetName, '__AllParameterSets') {
            if ($Parameter.ParameterSets.ContainsKey($name)) { return $Parameter.ParameterSets[$name].IsMandatory }
        }
        return $false
    }
    # In the parameter list: required when it is required in every set it belongs to.
    @($Parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
}

function Write-Para([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    foreach ($paragraph in $Paragraphs) {
        $Writer.WriteElementString('maml', 'para', $MamlNamespace, $paragraph)
    }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string] $Text) {
    $Writer.WriteStartElement('maml', 'description', $MamlNamespace)
    Write-Para $Writer @(Split-HelpParagraph $Text)
    $Writer.WriteEndElement()
}

function Write-ParameterElement {
    param(
        [System.Xml.XmlWriter] $Writer,
        [System.Management.Automation.ParameterMetadata] $Parameter,
        [string] $SetName,
        [string] $Description,
        [string] $Default,
        [switch] $Full
    )
    $required = Test-ParameterRequired $Parameter $SetName
    $Writer.WriteStartElement('command', 'parameter', $CommandNamespace)
    $Writer.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $Writer.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineInputText $Parameter))
    $Writer.WriteAttributeString('position', (Get-ParameterPosition $Parameter $SetName))
    $aliases = if ($Parameter.Aliases.Count -gt 0) { $Parameter.Aliases -join ', ' } else { 'none' }
    $Writer.WriteAttributeString('aliases', $aliases)
    $Writer.WriteElementString('maml', 'name', $MamlNamespace, $Parameter.Name)
    if ($Full) { Write-Description $Writer $Description }
    $typeName = Get-TypeDisplayName $Parameter.ParameterType
    if (-not $Parameter.SwitchParameter) {
        $validateSet = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        if ($validateSet -and -not $Full) {
            # The syntax shows the allowed values, as PowerShell's own help does.
            $Writer.WriteStartElement('command', 'parameterValueGroup', $CommandNamespace)
            foreach ($value in $validateSet.ValidValues) {
                $Writer.WriteStartElement('command', 'parameterValue', $CommandNamespace)
                $Writer.WriteAttributeString('required', 'false')
                $Writer.WriteAttributeString('command', 'variableLength', $CommandNamespace, 'false')
                $Writer.WriteString($value)
                $Writer.WriteEndElement()
            }
            $Writer.WriteEndElement()
        }
        $Writer.WriteStartElement('command', 'parameterValue', $CommandNamespace)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $DevNamespace)
    $Writer.WriteElementString('maml', 'name', $MamlNamespace, $typeName)
    $Writer.WriteElementString('maml', 'uri', $MamlNamespace, '')
    $Writer.WriteEndElement()
    if ($Full) { $Writer.WriteElementString('dev', 'defaultValue', $DevNamespace, $Default) }
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, $Items) {
    $Writer.WriteStartElement('command', $ListName, $CommandNamespace)
    foreach ($key in $Items.Keys) {
        $Writer.WriteStartElement('command', $ItemName, $CommandNamespace)
        $Writer.WriteStartElement('dev', 'type', $DevNamespace)
        $Writer.WriteElementString('maml', 'name', $MamlNamespace, $key)
        $Writer.WriteEndElement()
        Write-Description $Writer $Items[$key]
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-CommandHelp {
    param(
        [System.Xml.XmlWriter] $Writer,
        [System.Management.Automation.CmdletInfo] $Command,
        [hashtable] $Doc,
        [System.Collections.IDictionary] $SharedParameters
    )
    $commonNames = [System.Management.Automation.Cmdlet]::CommonParameters
    $parameters = @($Command.Parameters.Values | Where-Object { $_.Name -notin $commonNames })
    $documented = $Doc.Items['PARAMETERS']
    $instance = try { [Activator]::CreateInstance($Command.ImplementingType) } catch { $null }

    $descriptionOf = @{}
    foreach ($parameter in $parameters) {
        $text = $null
        if ($documented -and $documented.Contains("-$($parameter.Name)")) { $text = $documented["-$($parameter.Name)"] }
        elseif ($SharedParameters.Contains("-$($parameter.Name)")) { $text = $SharedParameters["-$($parameter.Name)"] }
        elseif ($ShouldProcessHelp.ContainsKey($parameter.Name)) { $text = $ShouldProcessHelp[$parameter.Name] }
        if (-not $text) { Write-Warning "$($Command.Name): -$($parameter.Name) has no description in docs/help." }
        $descriptionOf[$parameter.Name] = $text
    }

    $Writer.WriteStartElement('command', 'command', $CommandNamespace)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $MamlNamespace)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $CommandNamespace)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $DevNamespace)

    $Writer.WriteStartElement('command', 'details', $CommandNamespace)
    $Writer.WriteElementString('command', 'name', $CommandNamespace, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $CommandNamespace, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $CommandNamespace, $Command.Noun)
    Write-Description $Writer $Doc.Sections['SYNOPSIS']
    $Writer.WriteEndElement()

    Write-Description $Writer $Doc.Sections['DESCRIPTION']

    $Writer.WriteStartElement('command', 'syntax', $CommandNamespace)
    foreach ($set in $Command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name) {
        $Writer.WriteStartElement('command', 'syntaxItem', $CommandNamespace)
        $Writer.WriteElementString('maml', 'name', $MamlNamespace, $Command.Name)
        # Positional first, then mandatory, then the rest as declared; the shared ones come last.
        $declared = @($set.Parameters | Where-Object { $_.Name -notin $commonNames })
        $inSet = for ($index = 0; $index -lt $declared.Count; $index++) {
            $p = $declared[$index]
            $rank = if ($p.Position -ge 0) { $p.Position } elseif ($p.IsMandatory) { 1000 } elseif ($p.Name -in $TrailingParameters) { 3000 + [array]::IndexOf($TrailingParameters, $p.Name) } else { 2000 }
            [pscustomobject]@{ Parameter = $p; Rank = $rank; Index = $index }
        }
        foreach ($setParameter in $inSet | Sort-Object Rank, Index | ForEach-Object Parameter) {
            Write-ParameterElement -Writer $Writer -Parameter $Command.Parameters[$setParameter.Name] -SetName $set.Name
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $CommandNamespace)
    foreach ($parameter in $parameters | Sort-Object Name) {
        Write-ParameterElement -Writer $Writer -Parameter $parameter -Description $descriptionOf[$parameter.Name] `
            -Default (Get-ParameterDefault $instance $parameter) -Full
    }
    $Writer.WriteEndElement()

    $inputs = if ($Doc.Items['INPUTS'] -and $Doc.Items['INPUTS'].Count) { $Doc.Items['INPUTS'] } else { [ordered]@{ 'None' = 'This cmdlet takes no pipeline input.' } }
    Write-TypeList $Writer 'inputTypes' 'inputType' $inputs
    $outputs = if ($Doc.Items['OUTPUTS'] -and $Doc.Items['OUTPUTS'].Count) { $Doc.Items['OUTPUTS'] } else { [ordered]@{} }
    Write-TypeList $Writer 'returnValues' 'returnValue' $outputs

    if ($Doc.Sections['NOTES']) {
        $Writer.WriteStartElement('maml', 'alertSet', $MamlNamespace)
        $Writer.WriteStartElement('maml', 'alert', $MamlNamespace)
        Write-Para $Writer @(Split-HelpParagraph $Doc.Sections['NOTES'])
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $CommandNamespace)
    $examples = $Doc.Items['EXAMPLES']
    if ($examples) {
        foreach ($title in $examples.Keys) {
            $example = Split-Example $examples[$title]
            $Writer.WriteStartElement('command', 'example', $CommandNamespace)
            $Writer.WriteElementString('maml', 'title', $MamlNamespace, "---------- $title ----------")
            $Writer.WriteElementString('dev', 'code', $DevNamespace, $example.Code)
            $Writer.WriteStartElement('dev', 'remarks', $DevNamespace)
            # The empty paragraph leaves a line between one example and the next title.
            Write-Para $Writer (@(Split-HelpParagraph $example.Remarks) + '')
            $Writer.WriteEndElement()
            $Writer.WriteEndElement()
        }
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('maml', 'relatedLinks', $MamlNamespace)
    foreach ($line in (($Doc.Sections['RELATED LINKS'] ?? '') -split "`n")) {
        if ($line -notmatch '^\s*[-*]\s*(.+?)\s*$') { continue }
        $link = $Matches[1]
        $text = $link
        $uri = ''
        if ($link -match '^\[(.+?)\]\((.+?)\)$') {
            $text = $Matches[1]
            # Only web addresses are uris; a link to another help file is named by its text.
            if ($Matches[2] -match '^https?://') { $uri = $Matches[2] }
        }
        $Writer.WriteStartElement('maml', 'navigationLink', $MamlNamespace)
        $Writer.WriteElementString('maml', 'linkText', $MamlNamespace, $text)
        $Writer.WriteElementString('maml', 'uri', $MamlNamespace, $uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

$module = Import-Module -Name (Resolve-Path -LiteralPath $ModulePath).ProviderPath -PassThru -Force
$null = New-Item -ItemType Directory -Path $OutputPath -Force

$sharedPath = Join-Path $SourcePath 'Shared-Parameters.md'
$shared = if (Test-Path -LiteralPath $sharedPath) { (ConvertFrom-HelpMarkdown $sharedPath).Items['PARAMETERS'] } else { [ordered]@{} }

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [Text.UTF8Encoding]::new($false)
$xmlPath = Join-Path $OutputPath "$([IO.Path]::GetFileName($module.Path))-Help.xml"
$writer = [System.Xml.XmlWriter]::Create($xmlPath, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
        $path = Join-Path $SourcePath "$($command.Name).md"
        if (-not (Test-Path -LiteralPath $path)) {
            Write-Warning "$($command.Name) has no help file $path."
            continue
        }
        $doc = ConvertFrom-HelpMarkdown $path
        if ($doc.Name -ne $command.Name) {
            throw "$path is titled '# $($doc.Name)', not '# $($command.Name)'."
        }
        Write-CommandHelp -Writer $writer -Command $command -Doc $doc -SharedParameters $shared
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
Write-Host "  wrote $xmlPath"

# About topics are plain text; the markdown is written to read well as it is.
foreach ($about in Get-ChildItem -LiteralPath $SourcePath -Filter 'about_*.md' -File) {
    $target = Join-Path $OutputPath ($about.BaseName + '.help.txt')
    $text = (Get-Content -LiteralPath $about.FullName -Raw -Encoding utf8) -replace "`r`n", "`n"
    [IO.File]::WriteAllText($target, $text, [Text.UTF8Encoding]::new($false))
    Write-Host "  wrote $target"
}
