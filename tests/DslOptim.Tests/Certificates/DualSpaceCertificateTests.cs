using System;
using System.Linq;
using System.Text.RegularExpressions;
using DslOptim.Certificates;
using Xunit;

namespace DslOptim.Tests.Certificates;

/// <summary>The convergence certificate of bound (6): spectra, η*, ρ, checks, examples, the table.</summary>
public sealed class DualSpaceCertificateTests
{
    // X = [[2, 1, 0], [1, 2, 0]]: its non-zero block [[2, 1], [1, 2]] is symmetric with eigenvalues 2 ± 1, so the
    // singular values of X are 3 and 1 and XXᵀ has eigenvalues 9 and 1.
    private static readonly double[] HandX = { 2, 1, 0, 1, 2, 0 };
    private static readonly double[] HandY = { 1, -1 };
    private const double HandS1 = 3.0, HandSn = 1.0;
    private static readonly CertificateConstants HandConstants = new(LK: 2.0, MK: 0.5, Mu: 1.0, M: 3.0);

    private static DualSpaceCertificate Hand(double eta, StepSizeExample example = default)
        => DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, eta, HandConstants, example);

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 5, 2 }, { 3, 3, 3 }, { 4, 7, 4 }, { 6, 10, 5 }, { 8, 20, 6 }, { 15, 16, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SigmasAreTheSquaredExtremeSingularValues(int n, int d, int seed)
    {
        var random = new Random(seed);
        // Singular values in [0.5, 3], distinct, largest first.
        var s = Enumerable.Range(0, n).Select(_ => 0.5 + 2.5 * random.NextDouble()).OrderByDescending(v => v).ToArray();
        var x = TestMatrices.WithSingularValues(n, d, s, random);

        var certificate = DualSpaceCertificate.Certify(x, n, d, new double[n], 1, 0.01, HandConstants);

        AssertRelative(s[0] * s[0], certificate.Sigma1, 1e-12, "σ₁");
        AssertRelative(s[n - 1] * s[n - 1], certificate.SigmaN, 1e-12, "σ_n");
        Assert.True(certificate.Checks[3].Holds, certificate.Checks[3].Detail);
    }

    [Fact]
    public void MoreSamplesThanFeaturesHasSigmaNZeroAndFailsAssumption18()
    {
        var random = new Random(42);
        double[] s = { 2.0, 1.5, 0.75 };
        var x = TestMatrices.WithSingularValues(5, 3, s, random);

        var certificate = DualSpaceCertificate.Certify(x, 5, 3, new double[10], 2, 0.01, HandConstants);

        AssertRelative(4.0, certificate.Sigma1, 1e-12, "σ₁");
        Assert.Equal(0.0, certificate.SigmaN);
        Assert.False(certificate.Checks[3].Holds);
        Assert.Contains("rank XXᵀ ≤ d = 3 < n = 5", certificate.Checks[3].Detail, StringComparison.Ordinal);
        Assert.False(certificate.Checks[4].Holds);
        Assert.False(certificate.RateCertified);
        Assert.False(certificate.Contracts); // σ_n = 0: ρ = 1 + η²·(…) > 1
    }

    [Fact]
    public void RankDeficientXFailsAssumption18()
    {
        // Row 3 = row 1 + row 2: XXᵀ is singular although n < d.
        double[] x = { 1, 0, 2, -1, 0, 1, 1, 3, 1, 1, 3, 2 };
        var certificate = DualSpaceCertificate.Certify(x, 3, 4, new double[3], 1, 0.01, HandConstants);

        Assert.True(certificate.SigmaN <= certificate.RankTolerance, $"σ_n = {certificate.SigmaN:R}");
        Assert.False(certificate.Checks[3].Holds);
        Assert.Contains("rank deficient", certificate.Checks[3].Detail, StringComparison.Ordinal);
        Assert.True(certificate.Checks[4].Holds);
        Assert.False(certificate.RateCertified);
    }

    [Fact]
    public void HandComputedCase()
    {
        // Expected values from σ₁ = s₁² = 9, σ_n = s_n² = 1, n = 2, L_K = 2, m_K = 0.5, μ = 1, M = 3.
        double n = 2, lk = 2, mk = 0.5, mu = 1, m = 3, s1 = HandS1 * HandS1, sn = HandSn * HandSn;
        // ρ(η) = 1 + η²(L_K M σ₁/n)² − η m_K μ σ_n/n = 1 + 729 η² − η/4.
        Assert.Equal(729.0, (lk * m * s1 / n) * (lk * m * s1 / n));
        Assert.Equal(0.25, mk * mu * sn / n);

        var small = Hand(1e-4);
        AssertRelative(9.0, small.Sigma1, 1e-13, "σ₁");
        AssertRelative(1.0, small.SigmaN, 1e-13, "σ_n");
        AssertRelative(1.0 + 729e-8 - 0.25e-4, small.Rho, 1e-15, "ρ(1e-4)");
        Assert.True(small.Contracts);
        // η* = 0.25 / (2·729) = 1/5832; η_max = 1/2916; optimal ρ = 1 − 0.25²/(4·729) = 1 − 1/46656.
        AssertRelative(1.0 / 5832.0, small.EtaStar, 1e-13, "η*");
        AssertRelative(1.0 / 2916.0, small.EtaLimit, 1e-13, "η_max");
        AssertRelative(1.0 - 1.0 / 46656.0, small.OptimalRho, 1e-15, "optimal ρ");
        Assert.True(small.RateCertified);
        Assert.All(small.Checks, c => Assert.True(c.Holds, c.ToString()));

        var large = Hand(0.01);
        AssertRelative(1.0 + 0.0729 - 0.0025, large.Rho, 1e-14, "ρ(0.01)");
        Assert.False(large.Contracts);
        Assert.False(large.RateCertified);
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RhoAtEtaStarIsTheOptimalFactorAndItIsTheMinimum(int seed)
    {
        var random = new Random(seed);
        int n = 3 + seed, d = 2 * n + 1;
        var s = Enumerable.Range(0, n).Select(_ => 0.3 + 3 * random.NextDouble()).OrderByDescending(v => v).ToArray();
        var x = TestMatrices.WithSingularValues(n, d, s, random);
        var constants = new CertificateConstants(
            LK: 1 + random.NextDouble(), MK: 0.1 + 0.5 * random.NextDouble(), Mu: 0.2 + 0.5 * random.NextDouble(), M: 1 + random.NextDouble());
        var y = new double[n];

        var first = DualSpaceCertificate.Certify(x, n, d, y, 1, 0.01, constants);
        var atStar = DualSpaceCertificate.Certify(x, n, d, y, 1, first.EtaStar, constants);
        var atLimit = DualSpaceCertificate.Certify(x, n, d, y, 1, first.EtaLimit, constants);

        // Remark 1: ρ(η*) = 1 − m_K² μ² σ_n² / (4 L_K² M² σ₁²), with σ's from the singular values.
        double sn2 = s[n - 1] * s[n - 1], s12 = s[0] * s[0];
        var optimal = 1 - Math.Pow(constants.MK * constants.Mu * sn2, 2) / (4 * Math.Pow(constants.LK * constants.M * s12, 2));
        AssertRelative(optimal, atStar.Rho, 1e-12, "ρ(η*)");
        AssertRelative(optimal, first.OptimalRho, 1e-12, "optimal ρ");
        Assert.True(atStar.Contracts);
        // η* is the minimizer: ρ is larger on either side.
        var below = DualSpaceCertificate.Certify(x, n, d, y, 1, first.EtaStar * 0.99, constants);
        var above = DualSpaceCertificate.Certify(x, n, d, y, 1, first.EtaStar * 1.01, constants);
        Assert.True(below.Rho > atStar.Rho && above.Rho > atStar.Rho, $"{below.Rho:R} {atStar.Rho:R} {above.Rho:R}");
        // η_max = 2η* (Remark 1's printed η*): there the bound stops contracting, ρ = 1.
        Assert.Equal(2 * first.EtaStar, first.EtaLimit, 14);
        AssertRelative(1.0, atLimit.Rho, 1e-12, "ρ(η_max)");
    }

    [Fact]
    public void NormalizedGdConditionIsStrict()
    {
        // n = 2, ε = 0.5: η < nε = 1.
        var example = StepSizeExample.NormalizedGd(0.5);
        Assert.True(Hand(Math.BitDecrement(1.0), example).ExampleHolds);
        Assert.False(Hand(1.0, example).ExampleHolds);
        Assert.False(Hand(1.5, example).ExampleHolds);
        var at = Hand(1.0, example);
        Assert.Equal(1.0, at.ExampleBound);
        Assert.Equal("η < nε = 1", at.ExampleCondition);
    }

    [Fact]
    public void AdamConditionIsStrict()
    {
        // n = 2, ε = 0.125: η < 0.25.
        var example = StepSizeExample.AdamWithoutMomentum(0.125);
        Assert.True(Hand(Math.BitDecrement(0.25), example).ExampleHolds);
        Assert.False(Hand(0.25, example).ExampleHolds);
    }

    [Fact]
    public void GradientClippingConditionIncludesTheBoundAndUsesTheLargerOfEpsAndOne()
    {
        // ε = 0.5 < 1: η ≤ n·1 = 2.
        var small = StepSizeExample.GradientClipping(0.5);
        Assert.True(Hand(2.0, small).ExampleHolds);
        Assert.False(Hand(Math.BitIncrement(2.0), small).ExampleHolds);
        Assert.Equal(2.0, Hand(1.0, small).ExampleBound);
        // ε = 3 > 1: η ≤ n·3 = 6.
        var large = StepSizeExample.GradientClipping(3.0);
        Assert.True(Hand(6.0, large).ExampleHolds);
        Assert.True(Hand(4.0, large).ExampleHolds);
        Assert.False(Hand(Math.BitIncrement(6.0), large).ExampleHolds);
        Assert.Equal("η ≤ n·max(ε, 1) = 6", Hand(1.0, large).ExampleCondition);
    }

    [Fact]
    public void NoExampleLeavesTheConditionUndecided()
    {
        var certificate = Hand(0.001);
        Assert.Equal(StepSizeExample.None, certificate.Example);
        Assert.Equal(StepSizeExampleKind.None, default(StepSizeExample).Kind);
        Assert.Null(certificate.ExampleHolds);
        Assert.True(double.IsNaN(certificate.ExampleBound));
        Assert.Equal("none", certificate.ExampleCondition);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ExampleEpsilonIsValidated(double epsilon)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSizeExample.NormalizedGd(epsilon));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSizeExample.GradientClipping(epsilon));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSizeExample.AdamWithoutMomentum(epsilon));
    }

    [Fact]
    public void ToStringHasEveryRow()
    {
        var text = Hand(1e-4, StepSizeExample.NormalizedGd(0.5)).ToString();

        AssertRow(text, @"σ₁\(XXᵀ\)", "9");
        AssertRow(text, @"σ_n\(XXᵀ\)", "1");
        AssertRow(text, "L_K", "2");
        AssertRow(text, "m_K", "0.5");
        AssertRow(text, "μ", "1");
        AssertRow(text, "M", "3");
        AssertRow(text, @"η\* \(minimizes ρ\)", "0.000171468");   // 1/5832 to 6 significant digits
        AssertRow(text, @"η_max \(ρ = 1\)", "0.000342936");       // 1/2916
        AssertRow(text, @"ρ\(η\)", "0.999982");                   // 1 + 729e-8 − 2.5e-5 = 0.99998229
        AssertRow(text, "ρ\\(η\\) < 1", "yes");
        AssertRow(text, @"ρ\(η\*\) optimal", "0.999979");         // 1 − 1/46656 = 0.99997857
        AssertRow(text, @"1\.5 loss: μ > 0, M finite", "yes");
        AssertRow(text, @"1\.6 ∇K: L_K finite", "yes");
        AssertRow(text, @"1\.7 K: m_K > 0", "yes");
        AssertRow(text, @"1\.8 σ_n\(XXᵀ\) > 0", "yes");
        AssertRow(text, @"n < d \(overparameterized\)", "yes");
        AssertRow(text, @"Normalized GD \(ε = 0\.5\)", "η < nε = 1");
        Assert.Contains("n = 2, d = 3, k = 1, η = 0.0001", text, StringComparison.Ordinal);
        Assert.Contains("Rate certified (1.5–1.8 hold and ρ(η) < 1): yes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringColumnsAreAligned()
    {
        var lines = Hand(1e-4).ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("Quantity", StringComparison.Ordinal));
        Assert.True(header >= 0);
        var column = lines[header].IndexOf("Value", StringComparison.Ordinal);
        for (var i = header + 1; i < lines.Length && lines[i].Length > 0; i++)
        {
            Assert.True(lines[i].Length > column && lines[i][column - 1] == ' ' && lines[i][column] != ' ',
                $"value not in the column at {column}: '{lines[i]}'");
        }
    }

    [Fact]
    public void UnknownConstantsGiveNaNAndUnknownWithoutThrowing()
    {
        var certificate = DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 0.01, CertificateConstants.FromAnalysis(AnalysisConstants.Unknown));

        Assert.True(double.IsNaN(certificate.EtaStar));
        Assert.True(double.IsNaN(certificate.EtaLimit));
        Assert.True(double.IsNaN(certificate.Rho));
        Assert.True(double.IsNaN(certificate.OptimalRho));
        Assert.Null(certificate.Contracts);
        Assert.Null(certificate.Checks[0].Holds);
        Assert.Null(certificate.Checks[1].Holds);
        Assert.Null(certificate.Checks[2].Holds);
        Assert.True(certificate.Checks[3].Holds); // data-only: still decided
        Assert.Null(certificate.RateCertified);
        AssertRelative(9.0, certificate.Sigma1, 1e-13, "σ₁");

        var text = certificate.ToString();
        AssertRow(text, @"η\* \(minimizes ρ\)", "unknown");
        AssertRow(text, @"ρ\(η\)", "unknown");
        AssertRow(text, "ρ\\(η\\) < 1", "unknown");
        AssertRow(text, @"ρ\(η\*\) optimal", "unknown");
        AssertRow(text, "L_K", "unknown");
        AssertRow(text, @"1\.5 loss: μ > 0, M finite", "unknown");
        Assert.Contains("μ unknown; M unknown", text, StringComparison.Ordinal);
        Assert.Contains("Rate certified (1.5–1.8 hold and ρ(η) < 1): unknown", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OneUnknownConstantMakesOnlyItsDependentsUnknown()
    {
        var certificate = DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 1e-4, HandConstants with { Mu = double.NaN });

        Assert.Null(certificate.Checks[0].Holds);
        Assert.True(certificate.Checks[1].Holds);
        Assert.True(certificate.Checks[2].Holds);
        Assert.True(double.IsNaN(certificate.Rho));
        Assert.True(double.IsNaN(certificate.EtaStar));
        Assert.Contains("μ unknown; M = 3 finite", certificate.Checks[0].Detail, StringComparison.Ordinal);
        Assert.Null(certificate.RateCertified);
    }

    [Fact]
    public void ARefutedAssumptionDecidesTheCertificateEvenWithUnknowns()
    {
        // Adam's global m_K = inf φ″ = 0; μ unknown: 1.7 fails, so the rate is not certified (not "unknown").
        var certificate = DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 1e-4, new CertificateConstants(2.0, 0.0, double.NaN, 1.0));
        Assert.False(certificate.Checks[2].Holds);
        Assert.Contains("not strongly convex", certificate.Checks[2].Detail, StringComparison.Ordinal);
        Assert.False(certificate.RateCertified);
    }

    [Fact]
    public void InfiniteLipschitzConstantRefutesAssumption16()
    {
        var certificate = DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 1e-4, HandConstants with { LK = double.PositiveInfinity });
        Assert.False(certificate.Checks[1].Holds);
        Assert.Contains("∇K is not Lipschitz", certificate.Checks[1].Detail, StringComparison.Ordinal);
        Assert.Equal(double.PositiveInfinity, certificate.Rho);
        Assert.False(certificate.Contracts);
        Assert.Equal(0.0, certificate.EtaStar);
        AssertRow(certificate.ToString(), "L_K", "∞");
    }

    [Fact]
    public void ConstantsComeFromThePotentialAndTheLoss()
    {
        var potential = new AnalysisConstants(GradientLipschitz: 2.0, MinimumCurvature: 0.0, LossStrongConvexity: 99, LossSmoothness: 99);
        var loss = new AnalysisConstants(GradientLipschitz: 77, MinimumCurvature: 77, LossStrongConvexity: 1.0, LossSmoothness: 3.0);

        var constants = CertificateConstants.FromAnalysis(potential, loss);

        Assert.Equal(new CertificateConstants(2.0, 0.0, 1.0, 3.0), constants);
        Assert.Equal(new CertificateConstants(77, 77, 99, 99), CertificateConstants.FromAnalysis(new AnalysisConstants(77, 77, 99, 99)));
        Assert.Equal("L_K = 2, m_K = 0, μ = 1, M = 3", constants.ToString());
        Assert.Throws<ArgumentNullException>(() => CertificateConstants.FromAnalysis(null!, loss));
    }

    [Fact]
    public void LocalMinimumCurvatureOverridesTheGlobalOne()
    {
        // Adam example: ε = 0.5, max |∇L(W₀)| = 1.5 → m_K = 0.5 / 2² = 0.125.
        Assert.Equal(0.125, CertificateConstants.AdamLocalMinimumCurvature(0.5, 1.5));
        var global = new CertificateConstants(LK: 2.0, MK: 0.0, Mu: 1.0, M: 3.0);
        var local = global.WithMinimumCurvature(CertificateConstants.AdamLocalMinimumCurvature(0.5, 1.5));

        Assert.Equal(0.125, local.MK);
        Assert.Equal(0.0, global.MK);
        Assert.False(DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 1e-5, global).Checks[2].Holds);
        var certificate = DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 1e-5, local);
        Assert.True(certificate.Checks[2].Holds);
        // ρ(1e-5) = 1 + 1e-10·(2·3·9/2)² − 1e-5·0.125·1·1/2.
        AssertRelative(1 + 1e-10 * 729 - 1e-5 * 0.0625, certificate.Rho, 1e-15, "ρ");
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateConstants.AdamLocalMinimumCurvature(0.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateConstants.AdamLocalMinimumCurvature(0.5, -1.0));
    }

    [Fact]
    public void BadShapesThrowArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => DualSpaceCertificate.Certify(new double[5], 2, 3, HandY, 1, 0.1, HandConstants));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("n·d = 6", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => DualSpaceCertificate.Certify(HandX, 2, 3, new double[3], 1, 0.1, HandConstants));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("n·k = 2", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 2, 0.1, HandConstants));
        Assert.Equal("y", e.ParamName);
    }

    [Theory]
    [InlineData(0, 3, 1, "n")]
    [InlineData(2, 0, 1, "d")]
    [InlineData(2, 3, 0, "k")]
    [InlineData(-1, 3, 1, "n")]
    public void NonPositiveDimensionsThrow(int n, int d, int k, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DualSpaceCertificate.Certify(HandX, n, d, HandY, k, 0.1, HandConstants));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains("at least 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadStepSizeThrows(double eta)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, eta, HandConstants));
        Assert.Equal("eta", e.ParamName);
        Assert.Contains("finite and positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteDataAndNullConstantsThrowRatherThanCertify()
    {
        var x = (double[])HandX.Clone();
        x[4] = double.NaN;
        // Even with unknown constants (which never throw), bad data is rejected up front.
        var e = Assert.Throws<ArgumentException>(() => DualSpaceCertificate.Certify(x, 2, 3, HandY, 1, 0.1, CertificateConstants.Unknown));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("X[1,1]", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => DualSpaceCertificate.Certify(HandX, 2, 3, new[] { 1.0, double.NegativeInfinity }, 1, 0.1, HandConstants));
        Assert.Equal("y", e.ParamName);
        Assert.Throws<ArgumentNullException>(() => DualSpaceCertificate.Certify(HandX, 2, 3, HandY, 1, 0.1, null!));
    }

    private static void AssertRow(string text, string labelPattern, string value)
    {
        var row = new Regex(@"^\s*" + labelPattern + @"\s{2,}" + Regex.Escape(value) + @"(\s|$)", RegexOptions.Multiline);
        Assert.True(row.IsMatch(text), $"no row '{labelPattern}' with value '{value}' in:\n{text}");
    }

    private static void AssertRelative(double expected, double actual, double relative, string what)
        => Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected),
            $"{what}: expected {expected:R}, actual {actual:R}, relative error {Math.Abs(actual - expected) / Math.Abs(expected):R}");
}
