using Microsoft.CodeAnalysis;

namespace DslOptim.Generators.Diagnostics;

/// <summary>
/// Every diagnostic DslOptim reports, one field per id. The ids and their meanings are contracts read by
/// tools outside the project (see DESIGN.md); each links to <c>docs/diagnostics/DSLOPTnnn.md</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string FormulaCategory = "DslOptim.Formula";
    private const string DeclarationCategory = "DslOptim.Declaration";

    /// <summary>Where each id's page lives, relative to the repository root.</summary>
    public const string HelpLinkRoot = "docs/diagnostics/";

    /// <summary>DSLOPT008: a per-element formula uses something outside the supported subset.</summary>
    public static readonly DiagnosticDescriptor UnsupportedConstruct = new(
        id: "DSLOPT008",
        title: "Unsupported construct in a per-element formula",
        messageFormat: "{0} is not supported in the per-element formula '{1}'; supported are {2}",
        category: FormulaCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Potentials, preconditioners and losses run once per element inside a SIMD kernel, so their bodies are limited to a subset the generator can differentiate and vectorize.",
        helpLinkUri: HelpLinkRoot + "DSLOPT008.md");

    /// <summary>DSLOPT009: the declaration cannot be generated (not partial, no potential, wrong signature, …).</summary>
    public static readonly DiagnosticDescriptor MalformedDeclaration = new(
        id: "DSLOPT009",
        title: "Malformed optimizer declaration",
        messageFormat: "{0}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An [Optimizer] type must be partial, declare exactly one [Potential] or [Preconditioner] formula and one [Schedule], and its formulas must have the documented signatures.",
        helpLinkUri: HelpLinkRoot + "DSLOPT009.md");
}
