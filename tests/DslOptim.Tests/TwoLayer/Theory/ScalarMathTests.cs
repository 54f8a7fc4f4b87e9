using System;
using DslOptim.TwoLayer.Theory;
using Xunit;

namespace DslOptim.Tests.TwoLayer.Theory;

/// <summary>eˣ − 1 and the bracketing root finder used by η_max.</summary>
public sealed class ScalarMathTests
{
    [Theory]
    // Values of eˣ − 1 from the series x + x²/2 + x³/6 + … (exact to double for these x).
    [InlineData(1e-10, 1.00000000005e-10)]
    [InlineData(-1e-5, -9.9999500001666658e-06)]
    [InlineData(1e-3, 1.0005001667083417e-03)]
    [InlineData(0.3, 0.34985880757600310)]
    [InlineData(-0.45, -0.36237184837822667)]
    [InlineData(2.0, 6.3890560989306504)]
    public void ExpM1IsAccurate(double x, double expected)
        => TheoryAssert.Relative(expected, ScalarMath.ExpM1(x), 4e-16, $"expm1({x})");

    [Fact]
    public void RefineReachesAdjacentDoubles()
    {
        double root = ScalarMath.Refine(x => x * x - 2, 1, 2, -1, 2);
        Assert.True(Math.Abs(root - Math.Sqrt(2)) <= Math.BitIncrement(Math.Sqrt(2)) - Math.Sqrt(2), $"{root:R}");
        // A function whose false-position steps stall on one side (Illinois halving and bisection must rescue it).
        double r2 = ScalarMath.Refine(x => Math.Pow(x, 9) - 1e-9, 0, 10, -1e-9, 1e9);
        TheoryAssert.Relative(0.1, r2, 2e-16, "x⁹ = 1e-9");
        Assert.Throws<ArgumentException>(() => ScalarMath.Refine(x => x, 1, 2, 1, 2));
    }
}
