using System;
using Xunit;

namespace DslOptim.Tests.TwoLayer;

/// <summary>
/// Theorem 3.1 along whole runs, eq. (19)'s step sizes against (15), the root of η K_t(η) = 1, and backtracking.
/// </summary>
/// <remarks>
/// η0 here is conservative rather than the paper's η_max (computed by the theory module of another issue): half of
/// 1/K_0, the root of η K_0(η) = 1 at the initial weights. Theorem 3.1 needs only η_t K_t &lt; 2, which each test
/// asserts at every step before it checks the bound.
/// </remarks>
public sealed class TwoLayerTheoryTests
{
    private const int Settings = 20;
    private const int MaxSteps = 20000;

    public static TheoryData<string> Rules => new() { "adaptive", "constant" };

    [Theory]
    [MemberData(nameof(Rules))]
    public void TheoremThreeOneHoldsAtEveryIterate(string rule)
    {
        int checkedSteps = 0;
        for (int setting = 0; setting < Settings; setting++)
        {
            var (problem, w1, w2, h) = Setting(setting);
            var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
            var optimizer = new TwoLayerSquaredGd();
            TwoLayerCertificate start = optimizer.Certify(problem, w1, w2, workspace);
            double eta0 = 0.5 * start.InverseLocalSmoothness();
            TwoLayerStepSize stepSize = rule == "adaptive" ? TwoLayerStepSize.Adaptive(eta0) : TwoLayerStepSize.Constant(eta0);
            double initial = start.Loss;
            TwoLayerCertificate previous = optimizer.Step(problem, w1, w2, workspace, 1, stepSize);
            int steps = 1;
            while (previous.Loss > 1e-18 * initial)
            {
                Assert.True(steps < MaxSteps, $"setting {setting}: L = {previous.Loss:E3} after {steps} steps");
                double eta = previous.StepSize;
                double kt = previous.LocalSmoothnessAtStep;
                Assert.True(eta > 0 && eta * kt < 2, $"setting {setting}, t = {steps}: η K_t = {eta * kt}");
                double rho = previous.RhoAtStep;
                TwoLayerCertificate next = optimizer.Step(problem, w1, w2, workspace, steps + 1, stepSize);

                // (10): L(t+1) ≤ ρ(η_t, t) L(t); the slack covers the rounding of L near 1e-18 L(0).
                Assert.True(next.Loss <= (rho * previous.Loss * (1 + 1e-9)) + (1e-24 * initial),
                    $"setting {setting}, t = {steps}: L(t+1) = {next.Loss:R} > ρ L(t) = {rho:R}·{previous.Loss:R}");
                checkedSteps++;
                previous = next;
                steps++;
            }
        }

        Assert.True(checkedSteps > 20 * Settings);
    }

    [Fact]
    public void EquationNineteenSatisfiesFifteenAtEveryStep()
    {
        int capBound = 0, smoothnessBound = 0;
        for (int setting = 0; setting < Settings; setting++)
        {
            // Odd settings shrink X tenfold: K = σ²_max(X) is then small, η0 ~ 1/K_0 large, and the cap
            // (1 + η0²)^{t/2} η0 outgrows 1/K_t within a few steps; with η0 ≪ 1 the cap binds for ~1/η0² steps.
            var (problem, w1, w2, h) = Setting(100 + setting, setting % 2 == 0 ? 1.0 : 0.1);
            var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
            var optimizer = new TwoLayerSquaredGd();
            TwoLayerCertificate start = optimizer.Certify(problem, w1, w2, workspace);

            double eta0 = 0.5 * start.InverseLocalSmoothness();
            AdaptiveStepSize rule = TwoLayerStepSize.Adaptive(eta0);
            for (long t = 1; t <= 200; t++)
            {
                TwoLayerCertificate c = optimizer.Step(problem, w1, w2, workspace, t, rule);
                double eta = c.StepSize;
                double cap = Math.Pow(1 + (eta0 * eta0), (t - 1) / 2.0) * eta0; // (15) at the paper's iterate t − 1
                Assert.True(Math.Abs(rule.LastCap - cap) <= 1e-14 * cap);
                double etaK = eta * c.LocalSmoothnessAtStep;

                // (15): η0 ≤ η_t ≤ min(cap, 1/K_t), with 1/K_t the root of η K_t(η) = 1 (so η_t K_t(η_t) ≤ 1).
                Assert.True(eta >= eta0 * (1 - 1e-15), $"setting {setting}, t = {t}: η_t = {eta:R} < η0 = {eta0:R}");
                Assert.True(eta <= cap * (1 + 1e-15));
                Assert.True(etaK <= 1 + 1e-12, $"η_t K_t(η_t) = {etaK:R}");
                if (rule.LastBound == StepSizeBound.InverseSmoothness)
                {
                    Assert.True(Math.Abs(etaK - 1) <= 1e-12, $"at 1/K_t, η K_t(η) = {etaK:R}");
                    smoothnessBound++;
                }
                else
                {
                    capBound++;
                }
            }
        }

        Assert.True(capBound > 0, "the cap never bound");
        Assert.True(smoothnessBound > 0, "1/K_t never bound");
    }

    [Fact]
    public void RhoBarRuleUsesTheGivenBound()
    {
        var (problem, w1, w2, h) = Setting(7);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
        var optimizer = new TwoLayerSquaredGd();
        AdaptiveStepSize rule = TwoLayerStepSize.AdaptiveBar(0.01, t => 50.0 / (1 + t));
        for (long t = 1; t <= 5; t++)
        {
            TwoLayerCertificate c = optimizer.Step(problem, w1, w2, workspace, t, rule);
            // (18)/(19) with h = ρ̄: min(cap, 1/K_t, 1/K̄_t); 1/K_t from the step's own certificate.
            double expected = Math.Min(Math.Pow(1 + 1e-4, (t - 1) / 2.0) * 0.01, Math.Min(c.InverseLocalSmoothness(), t / 50.0));
            Assert.Equal(expected, c.StepSize, 15);
            Assert.Equal(c.InverseLocalSmoothness(), rule.LastInverseSmoothness);
            Assert.Equal(50.0 / t, 1.0 / rule.LastInverseBoundedSmoothness, 12);
        }
    }

    [Fact]
    public void InverseLocalSmoothnessIsTheRootOfTheCubic()
    {
        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            double a = Math.Pow(10, -6 + (12 * random.NextDouble()));
            double b = i % 3 == 0 ? 0 : Math.Pow(10, -6 + (12 * random.NextDouble()));
            double c = i % 5 == 0 ? 0 : Math.Pow(10, -6 + (12 * random.NextDouble()));
            double root = TwoLayerStepSizes.PositiveRootOfCubic(a, b, c);
            double residual = (root * (a + (root * (b + (root * c))))) - 1;
            Assert.True(Math.Abs(residual) <= 1e-14, $"a = {a:R}, b = {b:R}, c = {c:R}: residual {residual:E3}");
        }

        Assert.Equal(0.5, TwoLayerStepSizes.PositiveRootOfCubic(2, 0, 0));
        Assert.Equal(1.0, TwoLayerStepSizes.PositiveRootOfCubic(0, 0, 1), 15);
        Assert.Equal((Math.Sqrt(5) - 1) / 2, TwoLayerStepSizes.PositiveRootOfCubic(1, 1, 0), 15); // η² + η = 1
        Assert.Equal(double.PositiveInfinity, TwoLayerStepSizes.PositiveRootOfCubic(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSizes.PositiveRootOfCubic(-1, 0, 0));
    }

    [Fact]
    public void BacktrackingOnAQuadraticMatchesTheClosedForm()
    {
        // f(w) = a w²/2 at w = 1: ∇f = a, f(1 − η a) = a(1 − ηa)²/2. Armijo with γ: (1 − ηa)² ≤ 1 − 2γηa ⟺ ηa ≤ 2(1 − γ).
        const double a = 10.0;
        Func<double, double> trial = eta => 0.5 * a * (1 - (eta * a)) * (1 - (eta * a));
        var result = BacktrackingLineSearch.Search(trial, 0.5 * a, a * a, new BacktrackingOptions(1.0, 0.5, 0.5, 10));
        Assert.True(result.Accepted);
        Assert.Equal(4, result.Reductions); // 1, ½, ¼, ⅛ fail (ηa > 1); 1/16 passes
        Assert.Equal(1.0 / 16, result.StepSize);
        Assert.Equal(trial(1.0 / 16), result.TrialLoss);

        var bounded = BacktrackingLineSearch.Search(trial, 0.5 * a, a * a, new BacktrackingOptions(1.0, 0.5, 0.5, 2));
        Assert.False(bounded.Accepted);
        Assert.Equal(2, bounded.Reductions);
        Assert.Equal(0.25, bounded.StepSize);

        // The test as printed in Alg. 1 (no η): L(new) ≤ L − γ‖∇L‖² = 5 − 50 < 0 — no η can pass it.
        for (double eta = 1; eta > 1e-12; eta *= 0.5)
        {
            Assert.True(trial(eta) > (0.5 * a) - (0.5 * a * a));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => BacktrackingLineSearch.Search(trial, 5, 100, new BacktrackingOptions(1.0, 1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktrackingLineSearch.Search(trial, 5, 100, new BacktrackingOptions(0.0)));
    }

    [Fact]
    public void TwoLayerBacktrackingSatisfiesArmijoAtEveryAcceptedStep()
    {
        for (int setting = 0; setting < 5; setting++)
        {
            var (problem, w1, w2, h) = Setting(200 + setting);
            var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
            var optimizer = new TwoLayerSquaredGd();
            var options = new BacktrackingOptions(1.0, 0.1, 0.9, 30);
            BacktrackingStepSize rule = TwoLayerStepSize.Backtracking(options);
            TwoLayerCertificate c = optimizer.Step(problem, w1, w2, workspace, 1, rule);
            for (long t = 2; t <= 60 && c.Loss > 1e-20; t++)
            {
                BacktrackingResult search = rule.LastResult;
                Assert.True(search.Accepted);
                Assert.InRange(search.Reductions, 0, options.MaxReductions);
                Assert.Equal(search.StepSize, c.StepSize);
                double bound = c.Loss - (options.Armijo * c.StepSize * c.GradientNorm * c.GradientNorm);
                Assert.True(search.TrialLoss <= bound);
                TwoLayerCertificate next = optimizer.Step(problem, w1, w2, workspace, t, rule);

                // The closed-form trial loss is the loss the pass actually reached.
                Assert.True(Math.Abs(next.Loss - search.TrialLoss) <= (1e-9 * c.Loss) + 1e-300, $"t = {t}: {next.Loss:R} vs trial {search.TrialLoss:R}");
                Assert.True(next.Loss <= bound + (1e-9 * c.Loss));
                c = next;
            }
        }
    }

    /// <summary>A setting of §4: X orthogonal with singular values in xScale·[1, 2] (so μ, K ∈ xScale²·[1, 4]), Y reachable, W ~ N(0, 1/h)·scale.</summary>
    private static (TwoLayerProblem<double> Problem, double[] W1, double[] W2, int H) Setting(int seed, double xScale = 1.0)
    {
        var random = new Random(seed);
        int n = 2 + random.Next(5), m = 2 + random.Next(4), h = n + m + random.Next(60);
        var scales = new double[n];
        for (int i = 0; i < n; i++)
        {
            scales[i] = xScale * (1 + random.NextDouble());
        }

        double[] x = TwoLayerData.Orthogonal(n, random, scales);
        double scale = Math.Pow(h, -0.25 - (0.2 * random.NextDouble()));
        double[] w1 = TwoLayerData.Gaussian(n * h, random, scale), w2 = TwoLayerData.Gaussian(m * h, random, scale);
        double[] y = TwoLayerData.Gaussian(n * m, random, 1 + random.NextDouble());
        return (new TwoLayerProblem<double>(x, n, n, y, m), w1, w2, h);
    }
}
