using System;
using System.Collections.Generic;
using System.Linq;
using DslOptim.Tests.Derivatives;
using DslOptim.Tests.Steps;
using Xunit;

namespace DslOptim.Tests.Information;

/// <summary>The generated static <c>Info</c>: its name, its formulas (non-empty, with the derived names) and its listing.</summary>
public sealed class InfoTests
{
    private static readonly string[] Isotropic = { "h(s)", "h′(s)", "h″(s)", "h′(s)/s", "∇K(G)" };
    private static readonly string[] Elementwise = { "φ(z)", "φ′(z)", "φ″(z)", "∇K(G)_ij" };
    private static readonly string[] Loss = { "ℓ(r)", "ℓ′(r)", "ℓ″(r)" };

    public static TheoryData<string> Optimizers => new()
    {
        nameof(AdamWithoutMomentum), nameof(NormalizedGd), nameof(ClippedGd), nameof(SoftSignDescent),
        nameof(PseudoHuberFormulas), nameof(WeightPreconditionerFormulas), nameof(IsotropicSmoothFormulas),
    };

    private static (OptimizerInfo Info, string[] Expected) Lookup(string optimizer) => optimizer switch
    {
        nameof(AdamWithoutMomentum) => (AdamWithoutMomentum.Info, Elementwise),
        nameof(NormalizedGd) => (NormalizedGd.Info, Isotropic),
        nameof(ClippedGd) => (ClippedGd.Info, Isotropic.Concat(Loss).ToArray()),
        nameof(SoftSignDescent) => (SoftSignDescent.Info, new[] { "d(g, t)", "∂d/∂g", "∂²d/∂g²" }),
        nameof(PseudoHuberFormulas) => (PseudoHuberFormulas.Info, Elementwise.Concat(Loss).ToArray()),
        nameof(WeightPreconditionerFormulas) => (WeightPreconditionerFormulas.Info, new[] { "d(g, w)", "∂d/∂g", "∂²d/∂g²" }.Concat(Loss).ToArray()),
        nameof(IsotropicSmoothFormulas) => (IsotropicSmoothFormulas.Info, Isotropic.Concat(Loss).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer)),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void InfoNamesTheOptimizerAndListsTheDerivedFormulas(string optimizer)
    {
        var (info, expected) = Lookup(optimizer);
        Assert.Equal(optimizer, info.Name);
        Assert.False(string.IsNullOrWhiteSpace(info.Kernel));
        Assert.NotEmpty(info.Formulas);
        var names = info.Formulas.Select(f => f.Name).ToList();
        foreach (var name in expected)
        {
            Assert.Contains(name, names);
        }
        Assert.All(info.Formulas, f => Assert.False(string.IsNullOrWhiteSpace(f.Text), $"{optimizer}: {f.Name} has no text"));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ToStringListsTheNameAndEveryFormula(string optimizer)
    {
        var (info, _) = Lookup(optimizer);
        var text = info.ToString();
        Assert.Contains(optimizer, text, StringComparison.Ordinal);
        foreach (var formula in info.Formulas)
        {
            Assert.Contains(formula.Name, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FormulaTextsUseTheDeclarationsNames()
    {
        // The declared formula is rendered with its own variable and hyperparameter names.
        Assert.Contains("Eps", Text(ClippedGd.Info, "h(s)"), StringComparison.Ordinal);
        Assert.Contains("s", Text(ClippedGd.Info, "h′(s)"), StringComparison.Ordinal);
        Assert.Contains("Delta", Text(SoftSignDescent.Info, "d(g, t)"), StringComparison.Ordinal);
        Assert.Contains("Decay", Text(SoftSignDescent.Info, "d(g, t)"), StringComparison.Ordinal);
        Assert.Contains("Eps", Text(AdamWithoutMomentum.Info, "φ′(z)"), StringComparison.Ordinal);
    }

    [Fact]
    public void InfoIsTheSameInstanceOnEveryRead()
    {
        Assert.Same(ClippedGd.Info, ClippedGd.Info);
    }

    private static string Text(OptimizerInfo info, string name)
    {
        IEnumerable<DerivedFormula> matches = info.Formulas.Where(f => f.Name == name);
        return Assert.Single(matches).Text;
    }
}
