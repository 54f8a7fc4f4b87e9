using System;
using System.Collections.Generic;
using System.Linq;

namespace DslOptim.Tests.Steps;

/// <summary>A generated Step overload, as a delegate (spans cannot be Action type arguments).</summary>
public delegate void StepFunction<T>(Span<T> w, ReadOnlySpan<T> g, long t);

/// <summary>
/// One optimizer under test: its generated Step overloads (of <c>new X()</c> and of <c>default(X)</c>) and
/// the scalar reference of <see cref="PaperReference"/> with the hyperparameters restated as literals.
/// </summary>
public sealed class StepSubject
{
    private StepSubject(
        string name,
        bool isIsotropic,
        StepFunction<double> stepDouble,
        StepFunction<float> stepSingle,
        StepFunction<double> defaultStepDouble,
        StepFunction<float> defaultStepSingle,
        ReferenceStep reference)
    {
        Name = name;
        IsIsotropic = isIsotropic;
        StepDouble = stepDouble;
        StepSingle = stepSingle;
        DefaultStepDouble = defaultStepDouble;
        DefaultStepSingle = defaultStepSingle;
        Reference = reference;
    }

    public delegate void ReferenceStep(ReadOnlySpan<double> w, ReadOnlySpan<double> g, long t, Span<double> result);

    public string Name { get; }

    public bool IsIsotropic { get; }

    public StepFunction<double> StepDouble { get; }

    public StepFunction<float> StepSingle { get; }

    public StepFunction<double> DefaultStepDouble { get; }

    public StepFunction<float> DefaultStepSingle { get; }

    public ReferenceStep Reference { get; }

    public StepFunction<T> Step<T>() => typeof(T) == typeof(double) ? (StepFunction<T>)(object)StepDouble : (StepFunction<T>)(object)StepSingle;

    public StepFunction<T> DefaultStep<T>() => typeof(T) == typeof(double) ? (StepFunction<T>)(object)DefaultStepDouble : (StepFunction<T>)(object)DefaultStepSingle;

    public override string ToString() => Name;

    public static readonly IReadOnlyDictionary<string, StepSubject> All = Create().ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static IEnumerable<object[]> Names => All.Keys.Select(name => new object[] { name });

    public static IEnumerable<object[]> IsotropicNames => All.Values.Where(s => s.IsIsotropic).Select(s => new object[] { s.Name });

    private static IEnumerable<StepSubject> Create()
    {
        {
            var optimizer = new AdamWithoutMomentum();
            var zero = default(AdamWithoutMomentum);
            yield return new StepSubject(
                nameof(AdamWithoutMomentum), false,
                (w, g, t) => optimizer.Step(w, g, t), (w, g, t) => optimizer.Step(w, g, t),
                (w, g, t) => zero.Step(w, g, t), (w, g, t) => zero.Step(w, g, t),
                (w, g, t, result) => PaperReference.AdamWithoutMomentum(0.5, 0.01, w, g, result));
        }
        {
            var optimizer = new NormalizedGd();
            var zero = default(NormalizedGd);
            yield return new StepSubject(
                nameof(NormalizedGd), true,
                (w, g, t) => optimizer.Step(w, g, t), (w, g, t) => optimizer.Step(w, g, t),
                (w, g, t) => zero.Step(w, g, t), (w, g, t) => zero.Step(w, g, t),
                (w, g, t, result) => PaperReference.NormalizedGd(0.5, 0.1, w, g, result));
        }
        {
            var optimizer = new ClippedGd();
            var zero = default(ClippedGd);
            yield return new StepSubject(
                nameof(ClippedGd), true,
                (w, g, t) => optimizer.Step(w, g, t), (w, g, t) => optimizer.Step(w, g, t),
                (w, g, t) => zero.Step(w, g, t), (w, g, t) => zero.Step(w, g, t),
                (w, g, t, result) => PaperReference.Clipping(1.0, 0.05, w, g, result));
        }
        {
            var optimizer = new SoftSignDescent();
            var zero = default(SoftSignDescent);
            yield return new StepSubject(
                nameof(SoftSignDescent), false,
                (w, g, t) => optimizer.Step(w, g, t), (w, g, t) => optimizer.Step(w, g, t),
                (w, g, t) => zero.Step(w, g, t), (w, g, t) => zero.Step(w, g, t),
                (w, g, t, result) => PaperReference.SoftSign(1e-3, 0.01, 0.9, t, w, g, result));
        }
    }
}
