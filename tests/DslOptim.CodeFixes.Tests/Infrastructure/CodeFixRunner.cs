using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DslOptim.CodeFixes;
using DslOptim.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DslOptim.CodeFixes.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="SmoothAbsoluteValueCodeFix"/> (or any <see cref="CodeFixProvider"/>) on source text in an
/// <see cref="AdhocWorkspace"/> whose one project references the running runtime's assemblies and DslOptim.dll
/// (the Roslyn testing packages' reference download asks for a version the package source lacks), and compiles
/// results with <see cref="OptimizerGenerator"/> run through <see cref="CSharpGeneratorDriver"/>.
/// </summary>
/// <remarks>
/// End to end with the real analyzer: <c>var diagnostics = await CodeFixRunner.AnalyzeAsync(source, new TheAnalyzer());</c>,
/// pick the DSLOPT002 on <c>Math.Abs(…)</c>, then <c>await CodeFixRunner.ApplyAsync(source, diagnostic)</c>. Only the
/// diagnostic's id, span and properties matter: it may come from any compilation of the same text.
/// </remarks>
internal static class CodeFixRunner
{
    public const string FilePath = "Source0.cs";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static readonly CSharpCompilationOptions CompilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);

    /// <summary>A descriptor with DSLOPT002's id, for tests that build the diagnostic by hand.</summary>
#pragma warning disable RS2008 // release tracking belongs to the analyzer's project, not to this test stand-in
    public static readonly DiagnosticDescriptor NotDifferentiable = new(
        SmoothAbsoluteValueCodeFix.DiagnosticId,
        "Formula not differentiable",
        "{0}",
        "DslOptim.Theory",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);
#pragma warning restore RS2008

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>A fresh workspace with one C# project holding <paramref name="source"/> as <see cref="FilePath"/>.</summary>
    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                "CodeFixTest",
                "CodeFixTest",
                LanguageNames.CSharp,
                compilationOptions: CompilationOptions,
                parseOptions: ParseOptions,
                metadataReferences: References));
        var documentId = DocumentId.CreateNewId(projectId, FilePath);
        solution = solution.AddDocument(documentId, FilePath, SourceText.From(source), filePath: FilePath);
        return solution.GetDocument(documentId)!;
    }

    /// <summary>
    /// Splits markup with one <c>[|…|]</c> into the plain source and the marked span
    /// (e.g. <c>=> [|Math.Abs(z)|] + z</c>).
    /// </summary>
    public static (string Source, TextSpan Span) ParseMarkup(string markup)
    {
        var start = markup.IndexOf("[|", StringComparison.Ordinal);
        var end = markup.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start || markup.IndexOf("[|", start + 2, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException("markup needs exactly one [|…|]", nameof(markup));
        }

        var source = markup.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }

    /// <summary>A DSLOPT002 at <paramref name="span"/> of <paramref name="source"/>, as the analyzer reports it on |u|.</summary>
    public static Diagnostic CreateDiagnostic(string source, TextSpan span, string? construct = SmoothAbsoluteValueCodeFix.AbsConstruct)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: FilePath);
        var properties = construct is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(SmoothAbsoluteValueCodeFix.ConstructProperty, construct);
        return Diagnostic.Create(NotDifferentiable, Location.Create(tree, span), properties, "not differentiable where the argument of |·| is 0");
    }

    /// <summary>The code actions <paramref name="provider"/> registers for <paramref name="diagnostic"/> in <paramref name="source"/>.</summary>
    public static async Task<(Document Document, IReadOnlyList<CodeAction> Actions)> GetActionsAsync(
        string source, Diagnostic diagnostic, CodeFixProvider? provider = null)
    {
        provider ??= new SmoothAbsoluteValueCodeFix();
        var document = CreateDocument(source);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return (document, actions);
    }

    /// <summary>
    /// Registers the fixes for <paramref name="diagnostic"/>, applies the first one's operations and returns the
    /// fixed document (null when the provider offered no fix).
    /// </summary>
    public static async Task<FixResult?> ApplyAsync(string source, Diagnostic diagnostic, CodeFixProvider? provider = null)
    {
        var (document, actions) = await GetActionsAsync(source, diagnostic, provider);
        if (actions.Count == 0)
        {
            return null;
        }

        var fixedDocument = await ApplyAsync(document, actions[0]);
        return new FixResult(actions[0], fixedDocument, (await fixedDocument.GetTextAsync()).ToString());
    }

    /// <summary>Applies <paramref name="action"/>'s operations to <paramref name="document"/>'s solution.</summary>
    public static async Task<Document> ApplyAsync(Document document, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    /// <summary>Runs the provider's fix-all provider over the whole document for every diagnostic given.</summary>
    public static async Task<string> FixAllAsync(string source, IReadOnlyList<Diagnostic> diagnostics, string equivalenceKey, CodeFixProvider? provider = null)
    {
        provider ??= new SmoothAbsoluteValueCodeFix();
        var document = CreateDocument(source);
        var tree = (await document.GetSyntaxTreeAsync())!;

        // The batch fixer maps each diagnostic to its document through the syntax tree: relocate them onto this one.
        diagnostics = diagnostics
            .Select(d => Diagnostic.Create(d.Descriptor, Location.Create(tree, d.Location.SourceSpan), d.Properties, d.GetMessage()))
            .ToList();
        var fixAll = provider.GetFixAllProvider()!;
        var context = new FixAllContext(
            document,
            provider,
            FixAllScope.Document,
            equivalenceKey,
            provider.FixableDiagnosticIds,
            new FixedDiagnosticProvider(diagnostics),
            CancellationToken.None);
        var action = await fixAll.GetFixAsync(context);
        if (action is null)
        {
            return source;
        }

        return (await (await ApplyAsync(document, action)).GetTextAsync()).ToString();
    }

    /// <summary>Compiles <paramref name="document"/>'s project, runs the generator on it and returns every diagnostic.</summary>
    public static async Task<CompileResult> CompileWithGeneratorAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new OptimizerGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        var exceptions = result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToList();
        var generated = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        return new CompileResult(output, generated, generatorDiagnostics, output.GetDiagnostics(), exceptions);
    }

    /// <summary>
    /// Runs the generator, then <paramref name="analyzers"/> on the generated compilation (as the IDE and the build
    /// do), and returns the analyzer diagnostics located in <see cref="FilePath"/>: feed one to
    /// <see cref="ApplyAsync(string, Diagnostic, CodeFixProvider?)"/>.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, params DiagnosticAnalyzer[] analyzers)
    {
        var compiled = await CompileWithGeneratorAsync(CreateDocument(source));
        var diagnostics = await compiled.Compilation
            .WithAnalyzers(analyzers.ToImmutableArray())
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics
            .Where(d => d.Location.IsInSource && d.Location.SourceTree!.FilePath == FilePath)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(DslOptim.OptimizerAttribute).Assembly.Location));
        return references.ToImmutableArray();
    }

    private sealed class FixedDiagnosticProvider(IReadOnlyList<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}

/// <summary>One applied fix: the action taken, the fixed document and its text.</summary>
internal sealed record FixResult(CodeAction Action, Document Document, string Text);

/// <summary>A compilation after the generator ran on it, with what the generator produced and every diagnostic.</summary>
internal sealed record CompileResult(
    Compilation Compilation,
    IReadOnlyDictionary<string, string> Generated,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics,
    IReadOnlyList<Exception> Exceptions)
{
    public IEnumerable<Diagnostic> Errors
        => GeneratorDiagnostics.Concat(CompilationDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error);
}
