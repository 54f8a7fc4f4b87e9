namespace DslOptim.Generators.Model;

/// <summary>What the referenced DslOptim runtime offers; a value, so the pipeline caches on it.</summary>
/// <param name="HasLinearModel">LinearProblem&lt;T&gt; exists: emit the full step Step(problem, w, workspace, t).</param>
/// <param name="HasTwoLayer">TwoLayerProblem&lt;T&gt; exists: emit Step(problem, w1, w2, workspace, t) for plain GD with a [Loss].</param>
internal sealed record RuntimeFeatures(bool HasLinearModel, bool HasTwoLayer)
{
    public const string LinearProblemType = "DslOptim.LinearProblem`1";

    public const string TwoLayerProblemType = "DslOptim.TwoLayerProblem`1";

    public static readonly RuntimeFeatures All = new(HasLinearModel: true, HasTwoLayer: true);
}
