using System;
using System.Collections.Generic;
using System.Text;

namespace DslOptim;

/// <summary>One derived formula of an optimizer, as readable text.</summary>
/// <param name="Name">What the formula is, e.g. <c>h′(s)</c> or <c>∇K(G)</c>.</param>
/// <param name="Text">The formula in a math-like notation, using the declaration's names.</param>
public sealed record DerivedFormula(string Name, string Text)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} = {Text}";
}

/// <summary>How a claim about a formula was settled.</summary>
public enum VerdictKind
{
    /// <summary>Proven: by composition rules or by interval arithmetic over the whole domain.</summary>
    Proven,

    /// <summary>Refuted, with a concrete witness in <see cref="Verdict.Reason"/>.</summary>
    Refuted,

    /// <summary>Neither proven nor refuted within the analysis budget.</summary>
    Undecided,
}

/// <summary>One claim the theory checker settled (e.g. "K convex"), and why.</summary>
/// <param name="Claim">The claim, e.g. <c>K convex</c>, <c>∇K(0) = 0</c>, <c>ℓ strongly convex</c>.</param>
/// <param name="Kind">Proven, refuted or undecided.</param>
/// <param name="Reason">The proof method, or the witness with its values.</param>
public sealed record Verdict(string Claim, VerdictKind Kind, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Claim}: {Kind.ToString().ToLowerInvariant()} ({Reason})";
}

/// <summary>
/// The constants the papers' theorems use, as the analysis proved them for the declared defaults of the
/// hyperparameters. <see cref="double.NaN"/> means not established; <see cref="double.PositiveInfinity"/>
/// means proven infinite (for a Lipschitz constant: there is none).
/// </summary>
/// <param name="GradientLipschitz">L_K: sup φ″, or for isotropic K = h(‖·‖) max(sup h″, sup h′(s)/s) (Assumption 1.6).</param>
/// <param name="MinimumCurvature">inf φ″ (inf h″ for isotropic): a global strong-convexity constant m_K of K.</param>
/// <param name="LossStrongConvexity">μ = inf ℓ″ of the loss (Assumption 1.5).</param>
/// <param name="LossSmoothness">M = sup ℓ″, the Lipschitz constant of ℓ′ (Assumption 1.5).</param>
public sealed record AnalysisConstants(double GradientLipschitz, double MinimumCurvature, double LossStrongConvexity, double LossSmoothness)
{
    /// <summary>Nothing established.</summary>
    public static AnalysisConstants Unknown { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// What the generator derived for an optimizer: the declaration's formulas and their derivatives as
/// text, and the shape of the emitted kernel. Read it from the generated static <c>Info</c> property.
/// </summary>
public sealed class OptimizerInfo
{
    /// <summary>Creates the description; called by generated code.</summary>
    public OptimizerInfo(string name, string kernel, IReadOnlyList<DerivedFormula> formulas)
        : this(name, kernel, formulas, Array.Empty<Verdict>(), AnalysisConstants.Unknown)
    {
    }

    /// <summary>Creates the description with the theory checker's verdicts and constants; called by generated code.</summary>
    public OptimizerInfo(string name, string kernel, IReadOnlyList<DerivedFormula> formulas, IReadOnlyList<Verdict> verdicts, AnalysisConstants constants)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        Formulas = formulas ?? throw new ArgumentNullException(nameof(formulas));
        Verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        Constants = constants ?? throw new ArgumentNullException(nameof(constants));
    }

    /// <summary>The theory checker's verdicts on the declaration, for the hyperparameters' declared defaults.</summary>
    public IReadOnlyList<Verdict> Verdicts { get; }

    /// <summary>L_K, m_K, μ and M where the analysis established them.</summary>
    public AnalysisConstants Constants { get; }

    /// <summary>The optimizer type's name.</summary>
    public string Name { get; }

    /// <summary>The kernel's shape: passes over memory and state.</summary>
    public string Kernel { get; }

    /// <summary>The declared and derived formulas, in declaration order.</summary>
    public IReadOnlyList<DerivedFormula> Formulas { get; }

    /// <summary>A multi-line listing: the name, the kernel shape, then one formula per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Name).Append(": ").AppendLine(Kernel);
        foreach (var formula in Formulas)
        {
            text.Append("  ").AppendLine(formula.ToString());
        }
        foreach (var verdict in Verdicts)
        {
            text.Append("  ").AppendLine(verdict.ToString());
        }
        return text.ToString();
    }
}
