namespace DslOptim.Generators.Model;

/// <summary>What the referenced DslOptim runtime offers; a value, so the pipeline caches on it.</summary>
/// <param name="HasLinearModel">LinearProblem&lt;T&gt; exists: emit the full step Step(problem, w, workspace, t).</param>
internal sealed record RuntimeFeatures(bool HasLinearModel)
{
    public const string LinearProblemType = "DslOptim.LinearProblem`1";

    public static readonly RuntimeFeatures All = new(HasLinearModel: true);
}
