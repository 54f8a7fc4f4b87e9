using System;
using System.Collections.Generic;
using System.Linq;

namespace DslOptim.Tests.Derivatives;

/// <summary>
/// Every formula under test, with its first and second derivatives derived by hand (never copied from the
/// generated code). Hyperparameter values are restated here as literals: the closed forms must not read
/// the optimizer, so a wrong default would show up too.
/// </summary>
public static class FormulaCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, FormulaCase>> Cases = new(Build);

    public static IReadOnlyDictionary<string, FormulaCase> All => Cases.Value;

    public static FormulaCase Get(string name) => All[name];

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static double Sech2(double x)
    {
        var c = Math.Cosh(x);
        return 1.0 / (c * c);
    }

    private static IReadOnlyDictionary<string, FormulaCase> Build()
    {
        var list = new List<FormulaCase>();

        // ---- The paper's three potentials -------------------------------------------------------------
        {
            var o = new NormalizedGdFormulas();
            const double eps = 0.5;
            list.Add(new FormulaCase(
                "normalized GD h(s) = s − ε log(ε + s), ε = 0.5",
                o.H, s => o.HPrime(s), s => o.HDoublePrime(s), s => o.HPrime(s), s => o.HDoublePrime(s),
                s => s / (eps + s),
                s => eps / ((eps + s) * (eps + s)),
                0.01, 20.0));
            list.Add(new FormulaCase(
                "squared ℓ(r) = ½r² (static)",
                NormalizedGdFormulas.Squared,
                r => NormalizedGdFormulas.SquaredPrime(r), r => NormalizedGdFormulas.SquaredDoublePrime(r),
                r => NormalizedGdFormulas.SquaredPrime(r), r => NormalizedGdFormulas.SquaredDoublePrime(r),
                r => r,
                r => 1.0,
                -10.0, 10.0));
        }
        {
            var o = new ClippingFormulas();
            const double eps = 1.0;
            list.Add(new FormulaCase(
                "clipping h(s) = s ≤ ε ? ½s² : εs − ½ε², ε = 1",
                o.H, s => o.HPrime(s), s => o.HDoublePrime(s), s => o.HPrime(s), s => o.HDoublePrime(s),
                s => s <= eps ? s : eps,
                s => s <= eps ? 1.0 : 0.0,
                0.01, 5.0, new[] { eps }));
            list.Add(new FormulaCase(
                "log-cosh ℓ(r) = log cosh r",
                ClippingFormulas.LogCosh,
                r => ClippingFormulas.LogCoshPrime(r), r => ClippingFormulas.LogCoshDoublePrime(r),
                r => ClippingFormulas.LogCoshPrime(r), r => ClippingFormulas.LogCoshDoublePrime(r),
                Math.Tanh,
                Sech2,
                -6.0, 6.0));
        }
        {
            var o = new AdamFormulas();
            const double eps = 0.5;
            const double delta = 1.35;
            list.Add(new FormulaCase(
                "Adam without momentum φ(z) = |z| − ε log(ε + |z|), ε = 0.5",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => z / (eps + Math.Abs(z)),
                z => eps / ((eps + Math.Abs(z)) * (eps + Math.Abs(z))),
                -5.0, 5.0, new[] { 0.0 }));
            list.Add(new FormulaCase(
                "Huber ℓ(r), δ = 1.35 (instance)",
                o.Huber, r => o.HuberPrime(r), r => o.HuberDoublePrime(r), r => o.HuberPrime(r), r => o.HuberDoublePrime(r),
                r => Math.Abs(r) <= delta ? r : delta * Math.Sign(r),
                r => Math.Abs(r) <= delta ? 1.0 : 0.0,
                -5.0, 5.0, new[] { -delta, delta }));
        }

        // ---- Smooth robust losses and potentials ------------------------------------------------------
        {
            var o = new PseudoHuberFormulas();
            const double eps = 0.7;
            list.Add(new FormulaCase(
                "pseudo-Huber φ(z) = √(z² + ε²) − ε, ε = 0.7",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => z / Math.Sqrt(z * z + eps * eps),
                z => eps * eps / Math.Pow(z * z + eps * eps, 1.5),
                -8.0, 8.0));
            list.Add(new FormulaCase(
                "softplus ℓ(r) = log(1 + eʳ)",
                PseudoHuberFormulas.Softplus,
                r => PseudoHuberFormulas.SoftplusPrime(r), r => PseudoHuberFormulas.SoftplusDoublePrime(r),
                r => PseudoHuberFormulas.SoftplusPrime(r), r => PseudoHuberFormulas.SoftplusDoublePrime(r),
                Sigmoid,
                r => Sigmoid(r) * Sigmoid(-r),
                -10.0, 10.0));
        }
        {
            var o = new ExponentialFormulas();
            const double a = 0.8;
            list.Add(new FormulaCase(
                "exponential φ(z) = e^{az} − az − 1, a = 0.8",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => a * (Math.Exp(a * z) - 1.0),
                z => a * a * Math.Exp(a * z),
                -5.0, 5.0));
            list.Add(new FormulaCase(
                "logistic ℓ(r) = log(1 + e^{−r})",
                ExponentialFormulas.Logistic,
                r => ExponentialFormulas.LogisticPrime(r), r => ExponentialFormulas.LogisticDoublePrime(r),
                r => ExponentialFormulas.LogisticPrime(r), r => ExponentialFormulas.LogisticDoublePrime(r),
                r => -Sigmoid(-r),
                r => Sigmoid(r) * Sigmoid(-r),
                -10.0, 10.0));
        }
        {
            var o = new AbsolutePowerFormulas();
            list.Add(new FormulaCase(
                "power φ(z) = |z|^1.5 (Math.Pow)",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => 1.5 * Math.Sqrt(Math.Abs(z)) * Math.Sign(z),
                z => 0.75 / Math.Sqrt(Math.Abs(z)),
                -4.0, 4.0, new[] { 0.0 }));
            list.Add(new FormulaCase(
                "power ℓ(r) = |r|³ (Math.Pow)",
                AbsolutePowerFormulas.Cubic,
                r => AbsolutePowerFormulas.CubicPrime(r), r => AbsolutePowerFormulas.CubicDoublePrime(r),
                r => AbsolutePowerFormulas.CubicPrime(r), r => AbsolutePowerFormulas.CubicDoublePrime(r),
                r => 3.0 * r * Math.Abs(r),
                r => 6.0 * Math.Abs(r),
                -4.0, 4.0, new[] { 0.0 }));
        }

        // ---- Piecewise formulas: ?:, nested ?:, &&, ||, !, ==, != ---------------------------------------
        {
            var o = new PiecewiseFormulas();
            const double tau = 0.8;
            list.Add(new FormulaCase(
                "expectile φ(z) = z ≥ 0 ? τz² : (1 − τ)z², τ = 0.8",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => z >= 0 ? 2.0 * tau * z : 2.0 * (1.0 - tau) * z,
                z => z >= 0 ? 2.0 * tau : 2.0 * (1.0 - tau),
                -3.0, 3.0, new[] { 0.0 }));
            list.Add(new FormulaCase(
                "Huber by nested ?: ℓ(r) = r < −1 ? −r − ½ : (r > 1 ? r − ½ : ½r²)",
                PiecewiseFormulas.NestedHuber,
                r => PiecewiseFormulas.NestedHuberPrime(r), r => PiecewiseFormulas.NestedHuberDoublePrime(r),
                r => PiecewiseFormulas.NestedHuberPrime(r), r => PiecewiseFormulas.NestedHuberDoublePrime(r),
                r => r < -1.0 ? -1.0 : r > 1.0 ? 1.0 : r,
                r => Math.Abs(r) < 1.0 ? 1.0 : 0.0,
                -3.0, 3.0, new[] { -1.0, 1.0 }));
        }
        {
            var o = new LogicalFormulas();
            const double delta = 0.9;
            const double width = 0.5;
            list.Add(new FormulaCase(
                "Huber with && φ(z) = −δ < z && z < δ ? ½z² : δ|z| − ½δ², δ = 0.9",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => Math.Abs(z) < delta ? z : delta * Math.Sign(z),
                z => Math.Abs(z) < delta ? 1.0 : 0.0,
                -3.0, 3.0, new[] { -delta, delta }));
            list.Add(new FormulaCase(
                "dead zone with || ℓ(r) = r < −a || r > a ? (|r| − a)² : 0, a = 0.5 (instance)",
                o.DeadZone, r => o.DeadZonePrime(r), r => o.DeadZoneDoublePrime(r), r => o.DeadZonePrime(r), r => o.DeadZoneDoublePrime(r),
                r => Math.Abs(r) > width ? 2.0 * (Math.Abs(r) - width) * Math.Sign(r) : 0.0,
                r => Math.Abs(r) > width ? 2.0 : 0.0,
                -3.0, 3.0, new[] { -width, 0.0, width }));
        }
        {
            var o = new NegatedConditionFormulas();
            list.Add(new FormulaCase(
                "quartic with ! φ(z) = !(|z| > 2) ? z⁴/4 : 8|z| − 12",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => Math.Abs(z) <= 2.0 ? z * z * z : 8.0 * Math.Sign(z),
                z => Math.Abs(z) <= 2.0 ? 3.0 * z * z : 0.0,
                -4.0, 4.0, new[] { -2.0, 2.0 }));
            list.Add(new FormulaCase(
                "polynomial ℓ(r) = r⁴/4 + r²",
                NegatedConditionFormulas.Quartic,
                r => NegatedConditionFormulas.QuarticPrime(r), r => NegatedConditionFormulas.QuarticDoublePrime(r),
                r => NegatedConditionFormulas.QuarticPrime(r), r => NegatedConditionFormulas.QuarticDoublePrime(r),
                r => r * r * r + 2.0 * r,
                r => 3.0 * r * r + 2.0,
                -3.0, 3.0));
        }
        {
            var o = new EqualityFormulas();
            list.Add(new FormulaCase(
                "entropy-like with != φ(z) = z ≠ 0 ? z² log z² : 0",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => 2.0 * z * Math.Log(z * z) + 2.0 * z,
                z => 2.0 * Math.Log(z * z) + 6.0,
                -3.0, 3.0, new[] { 0.0 }, kinkMargin: 0.05));
            // Away from 0, where both the generated and the hand-written forms cancel catastrophically.
            list.Add(new FormulaCase(
                "sinhc with == ℓ(r) = r == 0 ? 1 : sinh(r)/r",
                EqualityFormulas.Sinhc,
                r => EqualityFormulas.SinhcPrime(r), r => EqualityFormulas.SinhcDoublePrime(r),
                r => EqualityFormulas.SinhcPrime(r), r => EqualityFormulas.SinhcDoublePrime(r),
                r => (r * Math.Cosh(r) - Math.Sinh(r)) / (r * r),
                r => (r * r * Math.Sinh(r) - 2.0 * r * Math.Cosh(r) + 2.0 * Math.Sinh(r)) / (r * r * r),
                -4.0, 4.0, new[] { 0.0 }, kinkMargin: 0.5));
        }

        // ---- Sqrt, Log, Pow ----------------------------------------------------------------------------
        {
            var o = new SqrtLogFormulas();
            list.Add(new FormulaCase(
                "φ(z) = √(1 + z⁴) − 1",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => 2.0 * z * z * z / Math.Sqrt(1.0 + z * z * z * z),
                z => (2.0 * Math.Pow(z, 6) + 6.0 * z * z) / Math.Pow(1.0 + z * z * z * z, 1.5),
                -3.0, 3.0));
            list.Add(new FormulaCase(
                "Cauchy ℓ(r) = log(1 + r²)",
                SqrtLogFormulas.Cauchy,
                r => SqrtLogFormulas.CauchyPrime(r), r => SqrtLogFormulas.CauchyDoublePrime(r),
                r => SqrtLogFormulas.CauchyPrime(r), r => SqrtLogFormulas.CauchyDoublePrime(r),
                r => 2.0 * r / (1.0 + r * r),
                r => 2.0 * (1.0 - r * r) / ((1.0 + r * r) * (1.0 + r * r)),
                -5.0, 5.0));
        }
        {
            var o = new PowFormulas();
            const double p = 0.75;
            list.Add(new FormulaCase(
                "φ(z) = (1 + z²)^P − 1, P = 0.75 (hyperparameter exponent)",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => 2.0 * p * z * Math.Pow(1.0 + z * z, p - 1.0),
                z => 2.0 * p * Math.Pow(1.0 + z * z, p - 1.0) + 4.0 * p * (p - 1.0) * z * z * Math.Pow(1.0 + z * z, p - 2.0),
                -5.0, 5.0));
            list.Add(new FormulaCase(
                "ℓ(r) = 2ʳ (variable exponent)",
                PowFormulas.PowerOfTwo,
                r => PowFormulas.PowerOfTwoPrime(r), r => PowFormulas.PowerOfTwoDoublePrime(r),
                r => PowFormulas.PowerOfTwoPrime(r), r => PowFormulas.PowerOfTwoDoublePrime(r),
                r => Math.Log(2.0) * Math.Pow(2.0, r),
                r => Math.Log(2.0) * Math.Log(2.0) * Math.Pow(2.0, r),
                -5.0, 5.0));
        }
        {
            var o = new VariablePowFormulas();
            list.Add(new FormulaCase(
                "φ(z) = z³ via Math.Pow (negative bases)",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => 3.0 * z * z,
                z => 6.0 * z,
                -3.0, 3.0));
            list.Add(new FormulaCase(
                "ℓ(r) = rʳ (variable base and exponent), r > 0",
                VariablePowFormulas.SelfPower,
                r => VariablePowFormulas.SelfPowerPrime(r), r => VariablePowFormulas.SelfPowerDoublePrime(r),
                r => VariablePowFormulas.SelfPowerPrime(r), r => VariablePowFormulas.SelfPowerDoublePrime(r),
                r => Math.Pow(r, r) * (Math.Log(r) + 1.0),
                r => Math.Pow(r, r) * ((Math.Log(r) + 1.0) * (Math.Log(r) + 1.0) + 1.0 / r),
                0.2, 3.0));
        }

        // ---- Max, Min ----------------------------------------------------------------------------------
        {
            var o = new MinMaxFormulas();
            var lower = (1.0 - Math.Sqrt(17.0)) / 2.0;
            var upper = (1.0 + Math.Sqrt(17.0)) / 2.0;
            list.Add(new FormulaCase(
                "φ(z) = min(z², 4 + z)",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => z > lower && z < upper ? 2.0 * z : 1.0,
                z => z > lower && z < upper ? 2.0 : 0.0,
                -4.0, 5.0, new[] { lower, upper }));
            list.Add(new FormulaCase(
                "squared hinge ℓ(r) = max(0, 1 − r)²",
                MinMaxFormulas.SquaredHinge,
                r => MinMaxFormulas.SquaredHingePrime(r), r => MinMaxFormulas.SquaredHingeDoublePrime(r),
                r => MinMaxFormulas.SquaredHingePrime(r), r => MinMaxFormulas.SquaredHingeDoublePrime(r),
                r => r < 1.0 ? -2.0 * (1.0 - r) : 0.0,
                r => r < 1.0 ? 2.0 : 0.0,
                -3.0, 3.0, new[] { 1.0 }));
        }
        {
            var o = new StableSoftplusFormulas();
            list.Add(new FormulaCase(
                "stable softplus φ(z) = max(z, 0) + log(1 + e^{−|z|})",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                Sigmoid,
                z => Sigmoid(z) * Sigmoid(-z),
                -10.0, 10.0, new[] { 0.0 }));
            list.Add(new FormulaCase(
                "Geman–McClure ℓ(r) = r²/(1 + r²)",
                StableSoftplusFormulas.GemanMcClure,
                r => StableSoftplusFormulas.GemanMcClurePrime(r), r => StableSoftplusFormulas.GemanMcClureDoublePrime(r),
                r => StableSoftplusFormulas.GemanMcClurePrime(r), r => StableSoftplusFormulas.GemanMcClureDoublePrime(r),
                r => 2.0 * r / ((1.0 + r * r) * (1.0 + r * r)),
                r => (2.0 - 6.0 * r * r) / Math.Pow(1.0 + r * r, 3),
                -4.0, 4.0));
        }

        // ---- Tanh, Atan, Sign, Cosh, Sinh ---------------------------------------------------------------
        {
            var o = new TanhAtanFormulas();
            list.Add(new FormulaCase(
                "φ(z) = z tanh z",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => Math.Tanh(z) + z * Sech2(z),
                z => 2.0 * Sech2(z) * (1.0 - z * Math.Tanh(z)),
                -5.0, 5.0));
            list.Add(new FormulaCase(
                "ℓ(r) = r atan r − ½ log(1 + r²)",
                TanhAtanFormulas.AtanIntegral,
                r => TanhAtanFormulas.AtanIntegralPrime(r), r => TanhAtanFormulas.AtanIntegralDoublePrime(r),
                r => TanhAtanFormulas.AtanIntegralPrime(r), r => TanhAtanFormulas.AtanIntegralDoublePrime(r),
                Math.Atan,
                r => 1.0 / (1.0 + r * r),
                -6.0, 6.0));
        }
        // ---- Atan2: ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²) -------------------------------------------------
        {
            var o = new Atan2Formulas();
            const double c = 2.0;
            list.Add(new FormulaCase(
                "φ(z) = z·atan2(z, c), c = 2 (quadrants I and IV)",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => Math.Atan2(z, c) + z * c / (c * c + z * z),
                z => 2.0 * c * c * c / ((c * c + z * z) * (c * c + z * z)),
                -6.0, 6.0));

            // y = 1 + r², x = r − 3: both arguments move, x < 0 (quadrant II) for r < 3 and > 0 beyond.
            // ℓ′ = (x·y′ − y·x′)/D = (r² − 6r − 1)/D with D = x² + y², D′ = 2x + 4r·y = 4r³ + 6r − 6.
            static double D(double r) => (r - 3) * (r - 3) + (1 + r * r) * (1 + r * r);
            list.Add(new FormulaCase(
                "ℓ(r) = atan2(1 + r², r − 3)",
                Atan2Formulas.Angle,
                r => Atan2Formulas.AnglePrime(r), r => Atan2Formulas.AngleDoublePrime(r),
                r => Atan2Formulas.AnglePrime(r), r => Atan2Formulas.AngleDoublePrime(r),
                r => (r * r - 6 * r - 1) / D(r),
                r => ((2 * r - 6) * D(r) - (r * r - 6 * r - 1) * (4 * r * r * r + 6 * r - 6)) / (D(r) * D(r)),
                -4.0, 5.0));
        }
        {
            var o = new SignFormulas();
            list.Add(new FormulaCase(
                "φ(z) = sign(z)·z²",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                z => 2.0 * Math.Abs(z),
                z => 2.0 * Math.Sign(z),
                -3.0, 3.0, new[] { 0.0 }));
            list.Add(new FormulaCase(
                "Welsch ℓ(r) = 1 − e^{−r²/2}",
                SignFormulas.Welsch,
                r => SignFormulas.WelschPrime(r), r => SignFormulas.WelschDoublePrime(r),
                r => SignFormulas.WelschPrime(r), r => SignFormulas.WelschDoublePrime(r),
                r => r * Math.Exp(-0.5 * r * r),
                r => (1.0 - r * r) * Math.Exp(-0.5 * r * r),
                -4.0, 4.0));
        }
        {
            var o = new HyperbolicFormulas();
            list.Add(new FormulaCase(
                "φ(z) = cosh z − 1",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                Math.Sinh,
                Math.Cosh,
                -5.0, 5.0));
            list.Add(new FormulaCase(
                "ℓ(r) = r sinh r",
                HyperbolicFormulas.RSinh,
                r => HyperbolicFormulas.RSinhPrime(r), r => HyperbolicFormulas.RSinhDoublePrime(r),
                r => HyperbolicFormulas.RSinhPrime(r), r => HyperbolicFormulas.RSinhDoublePrime(r),
                r => Math.Sinh(r) + r * Math.Cosh(r),
                r => 2.0 * Math.Cosh(r) + r * Math.Sinh(r),
                -4.0, 4.0));
        }
        {
            var o = new CompositeFormulas();
            list.Add(new FormulaCase(
                "φ(z) = log(eᶻ + e^{−z})",
                o.Phi, z => o.PhiPrime(z), z => o.PhiDoublePrime(z), z => o.PhiPrime(z), z => o.PhiDoublePrime(z),
                Math.Tanh,
                Sech2,
                -6.0, 6.0));
            list.Add(new FormulaCase(
                "Gudermannian ℓ(r) = atan(sinh r)",
                CompositeFormulas.Gudermannian,
                r => CompositeFormulas.GudermannianPrime(r), r => CompositeFormulas.GudermannianDoublePrime(r),
                r => CompositeFormulas.GudermannianPrime(r), r => CompositeFormulas.GudermannianDoublePrime(r),
                r => 1.0 / Math.Cosh(r),
                r => -Math.Tanh(r) / Math.Cosh(r),
                -5.0, 5.0));
        }
        {
            var o = new IsotropicSmoothFormulas();
            const double a = 2.0;
            list.Add(new FormulaCase(
                "isotropic pseudo-Huber h(s) = √(1 + s²) − 1",
                o.H, s => o.HPrime(s), s => o.HDoublePrime(s), s => o.HPrime(s), s => o.HDoublePrime(s),
                s => s / Math.Sqrt(1.0 + s * s),
                s => 1.0 / Math.Pow(1.0 + s * s, 1.5),
                0.01, 10.0));
            list.Add(new FormulaCase(
                "scaled log-cosh ℓ(r) = a² log cosh(r/a), a = 2 (instance)",
                o.ScaledLogCosh, r => o.ScaledLogCoshPrime(r), r => o.ScaledLogCoshDoublePrime(r), r => o.ScaledLogCoshPrime(r), r => o.ScaledLogCoshDoublePrime(r),
                r => a * Math.Tanh(r / a),
                r => Sech2(r / a),
                -10.0, 10.0));
        }

        // ---- Preconditioners: derivative in g with t or w held fixed -----------------------------------
        {
            var o = new SoftSignFormulas();
            const double delta = 0.3;
            foreach (var t in new long[] { 1, 3 })
            {
                var c = 1.0 - Math.Pow(0.9, t);
                list.Add(new FormulaCase(
                    $"preconditioner d(g, t) = g/(√(g² + δ²)(1 − βᵗ)), δ = 0.3, β = 0.9, t = {t}",
                    g => o.Direction(g, t), g => o.DirectionPrime(g, t), g => o.DirectionDoublePrime(g, t),
                    g => o.DirectionPrime(g, t), g => o.DirectionDoublePrime(g, t),
                    g => delta * delta / (Math.Pow(g * g + delta * delta, 1.5) * c),
                    g => -3.0 * g * delta * delta / (Math.Pow(g * g + delta * delta, 2.5) * c),
                    -3.0, 3.0));
            }
            list.Add(new FormulaCase(
                "fair ℓ(r) = |r| − log(1 + |r|)",
                SoftSignFormulas.Fair,
                r => SoftSignFormulas.FairPrime(r), r => SoftSignFormulas.FairDoublePrime(r),
                r => SoftSignFormulas.FairPrime(r), r => SoftSignFormulas.FairDoublePrime(r),
                r => r / (1.0 + Math.Abs(r)),
                r => 1.0 / ((1.0 + Math.Abs(r)) * (1.0 + Math.Abs(r))),
                -5.0, 5.0, new[] { 0.0 }));
        }
        {
            var o = new WeightPreconditionerFormulas();
            // w = 0.75 is exact in float, so the float overload sees the same w as the double one.
            const double w = 0.75;
            list.Add(new FormulaCase(
                "preconditioner d(g, w) = tanh g + λw², λ = 0.25, w = 0.75",
                g => o.Direction(g, w), g => o.DirectionPrime(g, w), g => o.DirectionDoublePrime(g, w),
                g => o.DirectionPrime(g, (float)w), g => o.DirectionDoublePrime(g, (float)w),
                Sech2,
                g => -2.0 * Math.Tanh(g) * Sech2(g),
                -4.0, 4.0));
            list.Add(new FormulaCase(
                "exponential loss ℓ(r) = e^{−r} + r",
                WeightPreconditionerFormulas.ExponentialLoss,
                r => WeightPreconditionerFormulas.ExponentialLossPrime(r), r => WeightPreconditionerFormulas.ExponentialLossDoublePrime(r),
                r => WeightPreconditionerFormulas.ExponentialLossPrime(r), r => WeightPreconditionerFormulas.ExponentialLossDoublePrime(r),
                r => 1.0 - Math.Exp(-r),
                r => Math.Exp(-r),
                -4.0, 6.0));
        }

        var byName = new Dictionary<string, FormulaCase>(StringComparer.Ordinal);
        foreach (var formula in list)
        {
            byName.Add(formula.Name, formula);
        }
        return byName;
    }

    /// <summary>The names, for [MemberData]: each theory case is named after its formula.</summary>
    public static IEnumerable<object[]> Names => All.Keys.Select(name => new object[] { name });
}
