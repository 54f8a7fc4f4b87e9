using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;
using Microsoft.CodeAnalysis;

namespace DslOptim.Generators.Analysis;

/// <summary>One claim and how it was settled; mirrors the runtime's DslOptim.Verdict.</summary>
internal sealed record VerdictInfo(string Claim, Outcome Outcome, string Reason);

/// <summary>Where in the formula a finding belongs: the whole body, or one construct (a Math.Abs call, a ?:).</summary>
internal sealed record FindingSite(Expr? Construct)
{
    public static readonly FindingSite Body = new((Expr?)null);
}

/// <summary>A diagnostic the analysis concluded, before it has a location.</summary>
internal sealed record Finding(DiagnosticDescriptor Descriptor, string Message, FindingSite Site);

/// <summary>Two points whose midpoint violates convexity: f((a+b)/2) &gt; (f(a) + f(b))/2.</summary>
internal sealed record ConvexityWitness(double A, double B);

/// <summary>
/// Everything the analysis concluded about one formula: verdicts for Info, findings for the analyzer, and
/// the constants (NaN: not established; +∞: proven or shown infinite).
/// </summary>
internal sealed record FormulaReport(
    EquatableArray<VerdictInfo> Verdicts,
    EquatableArray<Finding> Findings,
    Outcome Convexity,
    ConvexityWitness? Witness,
    double UpperCurvature,
    double LowerCurvature);
