using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Text;

namespace DslOptim.CodeFixes;

/// <summary>
/// DSLOPT002 on <c>Math.Abs(u)</c> (|u| has a kink where u = 0): replaces it by the smooth
/// <c>Math.Sqrt(u * u + Delta * Delta)</c> and declares δ as a new hyperparameter of the optimizer,
/// <c>public double Delta { get; init; } = 1e-3;</c>. √(u² + δ²) is C^∞, convex in u, equal to δ at u = 0 and
/// within δ of |u| everywhere, so the potential stays convex and becomes differentiable (Assumption 1.1).
/// </summary>
/// <remarks>
/// Where an instance property cannot be read — a static formula (a <c>[Loss]</c> is often static), a member
/// initializer, a lambda or local function inside a struct — δ is declared as <c>public const double</c> instead
/// (the generator folds compile-time constants), under its own title and equivalence key.
/// The fix applies only when the diagnostic's span is exactly a one-argument <c>Abs</c> invocation
/// (<c>Math.Abs</c>, <c>System.Math.Abs</c>, <c>global::System.Math.Abs</c>, or <c>Abs</c> under
/// <c>using static System.Math</c>) and the diagnostic's <c>Construct</c> property, when present, is
/// <c>Math.Abs</c>. The qualification of <c>Abs</c> is kept: <c>System.Math.Abs</c> becomes <c>System.Math.Sqrt</c>.
/// </remarks>
// No [Shared]: the only System.Composition this package source serves for Roslyn 4.8's graph is 8.0.0, and an
// IDE that hosts Roslyn 4.8 carries System.Composition 7, which could fail to bind the attribute when the IDE reads
// this type's attributes. Code fixes in analyzer assemblies are created by reflection, not composed by MEF, so the
// attribute would change nothing here.
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SmoothAbsoluteValueCodeFix))]
public sealed class SmoothAbsoluteValueCodeFix : CodeFixProvider
{
    /// <summary>The diagnostic this provider fixes: not differentiable at a point.</summary>
    public const string DiagnosticId = "DSLOPT002";

    /// <summary>The diagnostic property that names the non-differentiable construct.</summary>
    public const string ConstructProperty = "Construct";

    /// <summary>The value of <see cref="ConstructProperty"/> this provider fixes.</summary>
    public const string AbsConstruct = "Math.Abs";

    /// <summary>Title of the fix that adds a hyperparameter (an <c>init</c> property).</summary>
    public const string Title = "Smooth |u| into √(u² + δ²) with a new hyperparameter δ";

    /// <summary>Title of the fix that adds a constant, where an instance property cannot be read.</summary>
    public const string ConstantTitle = "Smooth |u| into √(u² + δ²) with a new constant δ";

    /// <summary>Equivalence key of the hyperparameter fix (fix-all groups by it).</summary>
    public const string EquivalenceKey = "DSLOPT002.SmoothAbs.Hyperparameter";

    /// <summary>Equivalence key of the constant fix.</summary>
    public const string ConstantEquivalenceKey = "DSLOPT002.SmoothAbs.Constant";

    /// <summary>Base name of the new member; a digit is appended (Delta2, Delta3, …) when it is taken.</summary>
    public const string BaseName = "Delta";

    /// <summary>The comment put above the new member.</summary>
    public const string MemberComment = "// δ: smooths |u| into √(u² + δ²) (DSLOPT002 code fix)";

    /// <summary>The new member's initial value, as written in the source.</summary>
    public const string DefaultValue = "1e-3";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Id != DiagnosticId
                || (diagnostic.Properties.TryGetValue(ConstructProperty, out var construct) && construct is not null && construct != AbsConstruct))
            {
                continue;
            }

            var span = diagnostic.Location.SourceSpan;
            if (FindAbsInvocation(root, span) is not { } invocation || invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
                || type is InterfaceDeclarationSyntax || type.OpenBraceToken.IsKind(SyntaxKind.None) || type.OpenBraceToken.IsMissing)
            {
                continue;
            }

            var asConstant = !CanReadInstanceMember(invocation, type);
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    asConstant ? ConstantTitle : Title,
                    ct => ApplyAsync(document, span, asConstant, ct),
                    asConstant ? ConstantEquivalenceKey : EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The one-argument <c>Abs(u)</c> invocation whose span is exactly <paramref name="span"/>, if any.</summary>
    internal static InvocationExpressionSyntax? FindAbsInvocation(SyntaxNode root, TextSpan span)
    {
        if (span.IsEmpty || span.End > root.FullSpan.End)
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.Span == span);
        if (invocation is null || invocation.ArgumentList.Arguments.Count != 1)
        {
            return null;
        }

        var argument = invocation.ArgumentList.Arguments[0];
        if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
        {
            return null;
        }

        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access => access.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
        return name is IdentifierNameSyntax { Identifier.ValueText: "Abs" } ? invocation : null;
    }

    private static async Task<Document> ApplyAsync(Document document, TextSpan span, bool asConstant, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || FindAbsInvocation(root, span) is not { } invocation || invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return document;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var name = ChooseName(type, invocation, model, cancellationToken);

        // The replacement: the same qualifier with Sqrt, and u² + δ² as its argument.
        var sqrt = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => (ExpressionSyntax)access.WithName(SyntaxFactory.IdentifierName("Sqrt").WithTriviaFrom(access.Name)),
            SimpleNameSyntax simple => SyntaxFactory.IdentifierName("Sqrt").WithTriviaFrom(simple),
            _ => invocation.Expression,
        };
        var u = invocation.ArgumentList.Arguments[0].Expression.WithoutTrivia();
        var uText = NeedsParentheses(u) ? "(" + u.ToFullString() + ")" : u.ToFullString();
        var sum = SyntaxFactory.ParseExpression($"{uText} * {uText} + {name} * {name}");
        var replacement = invocation
            .WithExpression(sqrt)
            .WithArgumentList(invocation.ArgumentList.WithArguments(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(sum))))
            .WithTriviaFrom(invocation)
            .WithAdditionalAnnotations(Formatter.Annotation);

        var endOfLine = EndOfLine(root);
        var member = CreateMember(name, asConstant, endOfLine);
        var members = type.Members;
        var insertAt = InsertionIndex(members);

        // Replace inside the type first (the invocation is a descendant of it), then insert the member.
        var newType = type.ReplaceNode(invocation, replacement);
        newType = newType.WithMembers(newType.Members.Insert(insertAt, member));
        var newRoot = root.ReplaceNode(type, newType);

        // Format the new member and the replacement with the document's options, but with the document's own line
        // ending (the default option is the host's), then drop the annotation so that the code action's clean-up
        // does not format them a second time with the host's line ending.
        var newDocument = document.WithSyntaxRoot(newRoot);
        var options = (await document.GetOptionsAsync(cancellationToken).ConfigureAwait(false))
            .WithChangedOption(FormattingOptions.NewLine, LanguageNames.CSharp, endOfLine);
        newDocument = await Formatter.FormatAsync(newDocument, Formatter.Annotation, options, cancellationToken).ConfigureAwait(false);
        var formattedRoot = await newDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return formattedRoot is null
            ? newDocument
            : newDocument.WithSyntaxRoot(formattedRoot.ReplaceNodes(
                formattedRoot.GetAnnotatedNodes(Formatter.Annotation),
                (_, rewritten) => rewritten.WithoutAnnotations(Formatter.Annotation)));
    }

    /// <summary>The document's own line ending (CRLF when it has one, else LF).</summary>
    private static string EndOfLine(SyntaxNode root)
        => root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToFullString() is { Length: > 0 } eol ? eol : "\n";

    private static MemberDeclarationSyntax CreateMember(string name, bool asConstant, string endOfLine)
    {
        var text = asConstant
            ? $"public const double {name} = {DefaultValue};"
            : $"public double {name} {{ get; init; }} = {DefaultValue};";
        var member = SyntaxFactory.ParseMemberDeclaration(text)!;
        return member
            .WithLeadingTrivia(SyntaxFactory.Comment(MemberComment), SyntaxFactory.EndOfLine(endOfLine))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(endOfLine))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>After the last hyperparameter-like member (a property with an initializer, or a const); else first.</summary>
    private static int InsertionIndex(SyntaxList<MemberDeclarationSyntax> members)
    {
        var index = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is PropertyDeclarationSyntax { Initializer: not null }
                || (members[i] is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.ConstKeyword)))
            {
                index = i + 1;
            }
        }

        return index;
    }

    /// <summary>
    /// Whether the argument must be parenthesized to stay one operand of <c>u * u</c>: everything but a simple
    /// name, a literal, an invocation, a member or element access and an already parenthesized expression.
    /// </summary>
    internal static bool NeedsParentheses(ExpressionSyntax u)
        => u is not (SimpleNameSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax
            or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ThisExpressionSyntax or PredefinedTypeSyntax
            or AliasQualifiedNameSyntax or QualifiedNameSyntax);

    /// <summary>
    /// Whether an instance property of <paramref name="type"/> can be read at <paramref name="node"/>: not in a
    /// static member or static lambda, not in a member initializer, parameter default or attribute, not in a lambda
    /// or local function inside a struct (which cannot capture <c>this</c>).
    /// </summary>
    internal static bool CanReadInstanceMember(SyntaxNode node, TypeDeclarationSyntax type)
    {
        var isStruct = type is StructDeclarationSyntax || type.IsKind(SyntaxKind.RecordStructDeclaration);
        for (var current = node.Parent; current is not null && current != type; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    if (isStruct || lambda.Modifiers.Any(SyntaxKind.StaticKeyword))
                    {
                        return false;
                    }

                    break;
                case LocalFunctionStatementSyntax local:
                    if (isStruct || local.Modifiers.Any(SyntaxKind.StaticKeyword))
                    {
                        return false;
                    }

                    break;
                case AttributeSyntax:
                case ParameterSyntax:
                    return false;
                case EqualsValueClauseSyntax clause when clause.Parent is PropertyDeclarationSyntax
                    || clause.Parent?.Parent?.Parent is BaseFieldDeclarationSyntax:
                    return false;
                case MemberDeclarationSyntax member when member.Parent == type:
                    return !member.Modifiers.Any(SyntaxKind.StaticKeyword) && !member.Modifiers.Any(SyntaxKind.ConstKeyword);
            }
        }

        return false;
    }

    /// <summary>Delta, Delta2, Delta3, …: the first name no member of the type (any partial part) and no symbol in scope has.</summary>
    private static string ChooseName(TypeDeclarationSyntax type, SyntaxNode position, SemanticModel? model, CancellationToken cancellationToken)
    {
        var typeSymbol = model?.GetDeclaredSymbol(type, cancellationToken);
        var taken = typeSymbol is not null
            ? typeSymbol.MemberNames.ToImmutableHashSet()
            : type.Members.SelectMany(DeclaredNames).ToImmutableHashSet();
        taken = taken.Add(type.Identifier.ValueText);

        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? BaseName : BaseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (taken.Contains(candidate))
            {
                continue;
            }

            if (model is not null && !model.LookupSymbols(position.SpanStart, name: candidate).IsEmpty)
            {
                continue;
            }

            return candidate;
        }
    }

    private static System.Collections.Generic.IEnumerable<string> DeclaredNames(MemberDeclarationSyntax member) => member switch
    {
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
        PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
        MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
        EventDeclarationSyntax @event => new[] { @event.Identifier.ValueText },
        BaseTypeDeclarationSyntax nested => new[] { nested.Identifier.ValueText },
        DelegateDeclarationSyntax @delegate => new[] { @delegate.Identifier.ValueText },
        _ => System.Array.Empty<string>(),
    };
}
