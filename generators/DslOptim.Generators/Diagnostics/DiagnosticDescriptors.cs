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

    private const string TheoryCategory = "DslOptim.Theory";

    /// <summary>DSLOPT001: the potential is not convex, or the declared preconditioner is not monotone; with a witness.</summary>
    public static readonly DiagnosticDescriptor NotConvex = Theory(
        "DSLOPT001",
        "Potential not convex or preconditioner not monotone",
        "{0}",
        "Theorem 1 and Proposition 1 need K convex (Assumption 1.1); a declared ∇K must be monotone.");

    /// <summary>DSLOPT002: not differentiable at a point: which point and which construct.</summary>
    public static readonly DiagnosticDescriptor NotDifferentiable = Theory(
        "DSLOPT002",
        "Formula not differentiable",
        "{0}",
        "Assumption 1.1 needs K differentiable, so that ∇K is defined everywhere the iteration goes.");

    /// <summary>DSLOPT003: ∇K(0) ≠ 0 or K not minimal at 0 (Assumption 1.1).</summary>
    public static readonly DiagnosticDescriptor NonzeroGradientAtZero = Theory(
        "DSLOPT003",
        "∇K(0) ≠ 0 or K not minimal at 0",
        "{0}",
        "Assumption 1.1: where K vanishes ∇K must vanish, so that the iteration can rest on an interpolating point.");

    /// <summary>DSLOPT004: isotropic h with h′(0) ≠ 0, h′(s) ≤ 0 for some s &gt; 0, or h not convex on s ≥ 0.</summary>
    public static readonly DiagnosticDescriptor IsotropicAssumption = Theory(
        "DSLOPT004",
        "Isotropic potential breaks Theorem 2's assumptions",
        "{0}",
        "Theorem 2 (implicit bias) needs h convex with h′(0) = 0 and h′(s) > 0 for s > 0, so that ∇K(G) is a positive multiple of G.");

    /// <summary>DSLOPT005: convexity undecided: neither a proof nor a witness.</summary>
    public static readonly DiagnosticDescriptor ConvexityUndecided = new(
        id: "DSLOPT005",
        title: "Convexity undecided",
        messageFormat: "{0}",
        category: TheoryCategory,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Neither the composition rules, nor interval arithmetic on the second derivative, nor the counterexample search decided convexity.",
        helpLinkUri: HelpLinkRoot + "DSLOPT005.md");

    /// <summary>DSLOPT006: the loss is not convex, not strongly convex, or ℓ′ not Lipschitz (Assumption 5).</summary>
    public static readonly DiagnosticDescriptor LossAssumption = Theory(
        "DSLOPT006",
        "Loss breaks Assumption 1.5",
        "{0}",
        "Assumption 1.5 (μ-strong convexity and M-Lipschitz ℓ′) gives the linear rate (6) and Remark 1's η*.");

    /// <summary>DSLOPT007: ∇K not Lipschitz (Assumption 6).</summary>
    public static readonly DiagnosticDescriptor GradientNotLipschitz = Theory(
        "DSLOPT007",
        "∇K not Lipschitz",
        "{0}",
        "Assumption 1.6 (L_K-Lipschitz ∇K) bounds the step in (6); with L_K = ∞ no step size is proven.");

    /// <summary>DSLOPT010: a piecewise formula jumps at a breakpoint.</summary>
    public static readonly DiagnosticDescriptor Discontinuous = Theory(
        "DSLOPT010",
        "Discontinuous piecewise formula",
        "{0}",
        "A jump at a breakpoint makes the potential (or its gradient) discontinuous: no convexity, no Lipschitz gradient.");

    /// <summary>DSLOPT011: a √, log, power or division whose argument the state invariants do not keep in its domain.</summary>
    public static readonly DiagnosticDescriptor DomainNotProven = Theory(
        "DSLOPT011",
        "Domain not proven",
        "{0}",
        "Every √, log, fractional power and division of a per-element formula must stay in its domain for every value the states can reach; otherwise the kernel produces NaN or ∞.");

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

    private static DiagnosticDescriptor Theory(string id, string title, string message, string description)
        => new(id, title, message, TheoryCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkRoot + id + ".md");
}
