using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DslOptim.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Tests.Derivatives;

/// <summary>
/// The generated FPrime and FDoublePrime of every formula in <see cref="FormulaCatalog"/>, checked three
/// ways: against central finite differences of the declared formula (resp. of FPrime), against the closed
/// forms derived by hand, and the float overloads against the double ones.
/// </summary>
public sealed class DerivativeTests
{
    private const double FiniteDifferenceTolerance = 1e-6;
    private const double ClosedFormTolerance = 1e-12;

    public static IEnumerable<object[]> Formulas => FormulaCatalog.Names;

    private static double Step(double x) => 1e-5 * Math.Max(1.0, Math.Abs(x));

    private static double CentralDifference(Func<double, double> f, double x)
    {
        var h = Step(x);
        // (x + h) − (x − h) is the step actually taken, exact in binary for this h.
        var plus = x + h;
        var minus = x - h;
        return (f(plus) - f(minus)) / (plus - minus);
    }

    private static string At(string what, double x) => string.Create(CultureInfo.InvariantCulture, $"{what} at x = {x:R}");

    [Fact]
    public void CatalogHasAtLeastThirtyFormulasEachWithTwentyDistinctPoints()
    {
        Assert.True(FormulaCatalog.All.Count >= 30, $"only {FormulaCatalog.All.Count} formulas");
        foreach (var formula in FormulaCatalog.All.Values)
        {
            Assert.Equal(FormulaCase.PointCount, formula.Points.Count);
            Assert.Equal(FormulaCase.PointCount, formula.Points.Distinct().Count());
            Assert.All(formula.Points, x => Assert.True(double.IsFinite(x), formula.Name));
        }
    }

    /// <summary>Validates the hand-derived closed forms themselves against the declared formula, so a
    /// failure of the closed-form tests below points at the generator, not at the test.</summary>
    [Theory]
    [MemberData(nameof(Formulas))]
    public void HandDerivedClosedFormsAgreeWithFiniteDifferencesOfTheDeclaredFormula(string formula)
    {
        var c = FormulaCatalog.Get(formula);
        var report = new Tolerance.Report(formula);
        foreach (var x in c.Points)
        {
            report.Check(c.ExpectedPrime(x), CentralDifference(c.F, x), FiniteDifferenceTolerance, At("hand-derived F′ vs finite difference of F", x));
            report.Check(c.ExpectedDoublePrime(x), CentralDifference(c.ExpectedPrime, x), FiniteDifferenceTolerance, At("hand-derived F″ vs finite difference of hand-derived F′", x));
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void PrimeMatchesFiniteDifferencesOfTheFormula(string formula)
    {
        var c = FormulaCatalog.Get(formula);
        var report = new Tolerance.Report(formula);
        foreach (var x in c.Points)
        {
            report.Check(c.Prime(x), CentralDifference(c.F, x), FiniteDifferenceTolerance, At("FPrime vs finite difference of F", x));
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void DoublePrimeMatchesFiniteDifferencesOfPrime(string formula)
    {
        var c = FormulaCatalog.Get(formula);
        var report = new Tolerance.Report(formula);
        foreach (var x in c.Points)
        {
            report.Check(c.DoublePrime(x), CentralDifference(c.Prime, x), FiniteDifferenceTolerance, At("FDoublePrime vs finite difference of FPrime", x));
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void PrimeMatchesHandDerivedClosedForm(string formula)
    {
        var c = FormulaCatalog.Get(formula);
        var report = new Tolerance.Report(formula);
        foreach (var x in c.Points)
        {
            report.Check(c.Prime(x), c.ExpectedPrime(x), ClosedFormTolerance, At("FPrime vs closed form", x));
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void DoublePrimeMatchesHandDerivedClosedForm(string formula)
    {
        var c = FormulaCatalog.Get(formula);
        var report = new Tolerance.Report(formula);
        foreach (var x in c.Points)
        {
            report.Check(c.DoublePrime(x), c.ExpectedDoublePrime(x), ClosedFormTolerance, At("FDoublePrime vs closed form", x));
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void FloatOverloadsEqualTheDoubleResultRoundedToFloat(string formula)
    {
        var c = FormulaCatalog.Get(formula);
        var report = new Tolerance.Report(formula);
        foreach (var point in c.Points)
        {
            var x = (float)point;
            var prime = c.PrimeSingle(x);
            var expectedPrime = (float)c.Prime(x);
            report.CheckThat(BitConverter.SingleToInt32Bits(prime) == BitConverter.SingleToInt32Bits(expectedPrime),
                At("FPrime(float)", x) + string.Create(CultureInfo.InvariantCulture, $": expected (float)FPrime((double)x) = {expectedPrime:R}, actual {prime:R}"));
            var second = c.DoublePrimeSingle(x);
            var expectedSecond = (float)c.DoublePrime(x);
            report.CheckThat(BitConverter.SingleToInt32Bits(second) == BitConverter.SingleToInt32Bits(expectedSecond),
                At("FDoublePrime(float)", x) + string.Create(CultureInfo.InvariantCulture, $": expected (float)FDoublePrime((double)x) = {expectedSecond:R}, actual {second:R}"));
            // The float result must also be a finite, faithful rounding of the exact derivative.
            report.Check(prime, c.ExpectedPrime(x), 1e-6, At("FPrime(float) vs closed form", x));
            report.Check(second, c.ExpectedDoublePrime(x), 1e-6, At("FDoublePrime(float) vs closed form", x));
        }
        report.Assert();
    }
}
