using System.Collections.Generic;
using System.Threading;
using DslOptim.Generators.Analysis;
using DslOptim.Generators.Model;

namespace DslOptim.Generators.Symbolic;

/// <summary>A formula with its first and second derivatives in its variable, simplified.</summary>
internal sealed record DerivedFormula(FormulaModel Formula, Expr First, Expr Second)
{
    public static DerivedFormula Of(FormulaModel formula)
    {
        var first = Simplifier.Simplify(Derivative.Of(formula.Body, formula.VariableName));
        var second = Simplifier.Simplify(Derivative.Of(first, formula.VariableName));
        return new DerivedFormula(formula, first, second);
    }
}

/// <summary>
/// The symbolic stage's output for one optimizer: the model, every derivative, and the per-element
/// update it implies. Value-equal, so an edit that leaves the formulas alone leaves emission cached.
/// </summary>
/// <param name="Model">The parsed declaration.</param>
/// <param name="Direction">The potential (φ, h) or preconditioner with its derivatives.</param>
/// <param name="Loss">The loss with ℓ′ and ℓ″, if declared.</param>
/// <param name="Update">
/// Elementwise and preconditioner: the new weight w − η_t·d(g) as one expression in the per-element
/// variables. Isotropic: the scale h′(s)/s of eq. (1)'s ∇K(G) = h′(‖G‖)/‖G‖·G, in s.
/// </param>
/// <param name="Analysis">The theory checker's verdicts and constants, for Info and the header.</param>
/// <param name="StateUpdates">Stateful optimizers: the new value of each per-element state, in declaration order, in terms of w, g and the previous states.</param>
internal sealed record OptimizerSpec(OptimizerModel Model, DerivedFormula Direction, DerivedFormula? Loss, Expr Update, OptimizerAnalysis Analysis, EquatableArray<Expr> StateUpdates)
{
    public const string LearningRateName = "η_t";

    public static readonly Symbol LearningRate = new(LearningRateName, SymbolRole.LearningRate);

    public bool IsIsotropic => Direction.Formula.Role == FormulaRole.Potential && Direction.Formula.Form == PotentialForm.Isotropic;

    public static OptimizerSpec Derive(OptimizerModel model, CancellationToken cancellationToken)
    {
        var direction = DerivedFormula.Of(model.Direction);
        var loss = model.Loss is null ? null : DerivedFormula.Of(model.Loss);
        if (model.IsStateful)
        {
            return DeriveStateful(model, direction, loss, cancellationToken);
        }
        Expr update;
        if (model.Direction.Role == FormulaRole.Potential && model.Direction.Form == PotentialForm.Isotropic)
        {
            // ∇K(G) = h′(s)/s · G with s = ‖G‖_F (paper §II.A, isotropic potentials). The step returns before
            // evaluating the scale when s = 0, so a factor s may cancel: (s/(ε + s))/s = 1/(ε + s).
            update = Build.DivideByNonZero(direction.First, new Symbol(model.Direction.VariableName, SymbolRole.Variable));
        }
        else
        {
            // (1): W ← W − η ∇K(G); elementwise ∇K(G)_ij = φ′(g_ij), or the declared map itself.
            var d = model.Direction.Role == FormulaRole.Potential ? direction.First : model.Direction.Body;
            update = model.Update is null
                ? Build.Subtract(new Symbol("w", SymbolRole.Weight), Build.Multiply(LearningRate, d))
                : Substitution.Apply(model.Update.Body, symbol => symbol.Kind == SymbolRole.Direction ? d : null);
        }
        return new OptimizerSpec(model, direction, loss, update, OptimizerAnalysis.Of(model, direction, loss, cancellationToken), EquatableArray<Expr>.Empty);
    }

    /// <summary>
    /// One fused pass: each per-element state's new value with the earlier states' new values substituted in,
    /// then the direction and the new weight with every state's new value substituted in. Scalar states stay
    /// symbols (computed once per step, before the pass).
    /// </summary>
    private static OptimizerSpec DeriveStateful(OptimizerModel model, DerivedFormula direction, DerivedFormula? loss, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, Expr>();
        var outputs = new List<Expr>();
        Expr? Lookup(Symbol symbol) => symbol.Kind == SymbolRole.StateCurrent && current.TryGetValue(symbol.Name, out var value) ? value : null;
        foreach (var state in model.States)
        {
            if (state.IsScalar)
            {
                continue;
            }
            var value = Substitution.Apply(state.Formula.Body, Lookup);
            current[state.Name] = value;
            outputs.Add(value);
        }
        var d = model.Direction.Role == FormulaRole.Potential ? direction.First : Substitution.Apply(model.Direction.Body, Lookup);
        var update = model.Update is null
            ? Build.Subtract(new Symbol("w", SymbolRole.Weight), Build.Multiply(LearningRate, d))
            : Substitution.Apply(model.Update.Body, symbol => symbol.Kind == SymbolRole.Direction ? d : Lookup(symbol));
        return new OptimizerSpec(model, direction, loss, update, OptimizerAnalysis.Of(model, direction, loss, cancellationToken), outputs.ToEquatableArray());
    }
}
