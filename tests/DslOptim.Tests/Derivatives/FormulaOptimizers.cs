using System;

namespace DslOptim.Tests.Derivatives;

// Test declarations whose only purpose is to carry formulas: each [Optimizer] holds one [Potential] or
// [Preconditioner] and one [Loss], so the generator emits FPrime/FDoublePrime for both. The closed forms
// the tests compare against are in FormulaCatalog, derived by hand.

/// <summary>The paper's normalized GD, h(s) = s − ε log(ε + s) (§II.A.1), and the squared loss.</summary>
[Optimizer]
public partial struct NormalizedGdFormulas
{
    public double Eps { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>The paper's clipping potential h(s) (§II.A.2) and log-cosh.</summary>
[Optimizer]
public partial struct ClippingFormulas
{
    public double Eps { get; init; } = 1.0;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Loss] public static double LogCosh(double r) => Math.Log(Math.Cosh(r));

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>The paper's Adam without momentum φ(z) = |z| − ε log(ε + |z|) (§II.A.3) and the Huber loss.</summary>
[Optimizer]
public partial struct AdamFormulas
{
    public double Eps { get; init; } = 0.5;
    public double Delta { get; init; } = 1.35;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Loss] public double Huber(double r) => Math.Abs(r) <= Delta ? 0.5 * r * r : Delta * (Math.Abs(r) - 0.5 * Delta);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>Pseudo-Huber √(z² + ε²) − ε and softplus log(1 + eᶻ).</summary>
[Optimizer]
public partial struct PseudoHuberFormulas
{
    public double Eps { get; init; } = 0.7;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Sqrt(z * z + Eps * Eps) - Eps;

    [Loss] public static double Softplus(double r) => Math.Log(1 + Math.Exp(r));

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>An exponential potential e^{az} − az − 1 and the logistic loss log(1 + e^{−r}).</summary>
[Optimizer]
public partial struct ExponentialFormulas
{
    public double Scale { get; init; } = 0.8;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Exp(Scale * z) - Scale * z - 1;

    [Loss] public static double Logistic(double r) => Math.Log(1 + Math.Exp(-r));

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>|z|^1.5 and |r|³ through Math.Pow.</summary>
[Optimizer]
public partial struct AbsolutePowerFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Pow(Math.Abs(z), 1.5);

    [Loss] public static double Cubic(double r) => Math.Pow(Math.Abs(r), 3);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>An asymmetric quadratic (expectile) and a Huber written with nested conditionals.</summary>
[Optimizer]
public partial struct PiecewiseFormulas
{
    public double Tau { get; init; } = 0.8;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => z >= 0 ? Tau * z * z : (1 - Tau) * z * z;

    [Loss] public static double NestedHuber(double r) => r < -1.0 ? -r - 0.5 : (r > 1.0 ? r - 0.5 : 0.5 * r * r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>Conditions combined with &amp;&amp; and ||: a Huber and a squared dead zone.</summary>
[Optimizer]
public partial struct LogicalFormulas
{
    public double Delta { get; init; } = 0.9;
    public double Width { get; init; } = 0.5;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => z > -Delta && z < Delta ? 0.5 * z * z : Delta * Math.Abs(z) - 0.5 * Delta * Delta;

    [Loss] public double DeadZone(double r) => r < -Width || r > Width ? (Math.Abs(r) - Width) * (Math.Abs(r) - Width) : 0.0;

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>A condition with !: a quartic with linear extension; and a plain polynomial.</summary>
[Optimizer]
public partial struct NegatedConditionFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => !(Math.Abs(z) > 2.0) ? 0.25 * z * z * z * z : 8.0 * Math.Abs(z) - 12.0;

    [Loss] public static double Quartic(double r) => r * r * r * r / 4 + r * r;

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>√(1 + z⁴) − 1 and the Cauchy loss log(1 + r²).</summary>
[Optimizer]
public partial struct SqrtLogFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Sqrt(1 + z * z * z * z) - 1;

    [Loss] public static double Cauchy(double r) => Math.Log(1 + r * r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>(1 + z²)^P − 1 with a hyperparameter exponent, and 2^r with the variable in the exponent.</summary>
[Optimizer]
public partial struct PowFormulas
{
    public double P { get; init; } = 0.75;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Pow(1 + z * z, P) - 1;

    [Loss] public static double PowerOfTwo(double r) => Math.Pow(2.0, r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>z³ through Math.Pow on negative bases, and r^r (variable base and exponent).</summary>
[Optimizer]
public partial struct VariablePowFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Pow(z, 3);

    [Loss] public static double SelfPower(double r) => Math.Pow(r, r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>min(z², 4 + z) with two varying arguments, and the squared hinge max(0, 1 − r)².</summary>
[Optimizer]
public partial struct MinMaxFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Min(z * z, 4.0 + z);

    [Loss] public static double SquaredHinge(double r) => Math.Max(0.0, 1.0 - r) * Math.Max(0.0, 1.0 - r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>The overflow-safe softplus max(z, 0) + log(1 + e^{−|z|}) and Geman–McClure r²/(1 + r²).</summary>
[Optimizer]
public partial struct StableSoftplusFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Max(z, 0.0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    [Loss] public static double GemanMcClure(double r) => r * r / (1 + r * r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>z·tanh z and r·atan r − ½ log(1 + r²) (the antiderivative of atan).</summary>
[Optimizer]
public partial struct TanhAtanFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => z * Math.Tanh(z);

    [Loss] public static double AtanIntegral(double r) => r * Math.Atan(r) - 0.5 * Math.Log(1 + r * r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>z·atan2(z, c) and atan2(1 + r², r − 3): Math.Atan2 in both argument positions, both half-planes.</summary>
[Optimizer]
public partial struct Atan2Formulas
{
    public double C { get; init; } = 2.0;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => z * Math.Atan2(z, C);

    [Loss] public static double Angle(double r) => Math.Atan2(1 + r * r, r - 3);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>sign(z)·z² (= z|z|) and the Welsch loss 1 − e^{−r²/2}.</summary>
[Optimizer]
public partial struct SignFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Sign(z) * z * z;

    [Loss] public static double Welsch(double r) => 1 - Math.Exp(-0.5 * r * r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>cosh z − 1 and r·sinh r.</summary>
[Optimizer]
public partial struct HyperbolicFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Cosh(z) - 1;

    [Loss] public static double RSinh(double r) => r * Math.Sinh(r);

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>log(eᶻ + e^{−z}) and the Gudermannian atan(sinh r).</summary>
[Optimizer]
public partial struct CompositeFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Log(Math.Exp(z) + Math.Exp(-z));

    [Loss] public static double Gudermannian(double r) => Math.Atan(Math.Sinh(r));

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>An isotropic pseudo-Huber h(s) = √(1 + s²) − 1 and a scaled log-cosh loss with an instance hyperparameter.</summary>
[Optimizer]
public partial struct IsotropicSmoothFormulas
{
    public double Scale { get; init; } = 2.0;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => Math.Sqrt(1 + s * s) - 1;

    [Loss] public double ScaledLogCosh(double r) => Scale * Scale * Math.Log(Math.Cosh(r / Scale));

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>Equality tests: z² log z² guarded by z != 0, and sinh(r)/r guarded by r == 0.</summary>
[Optimizer]
public partial struct EqualityFormulas
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => z != 0.0 ? z * z * Math.Log(z * z) : 0.0;

    [Loss] public static double Sinhc(double r) => r == 0.0 ? 1.0 : Math.Sinh(r) / r;

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>A step-dependent preconditioner d(g, t) and the "fair" loss |r| − log(1 + |r|).</summary>
[Optimizer]
public partial struct SoftSignFormulas
{
    public double Delta { get; init; } = 0.3;
    public double Decay { get; init; } = 0.9;

    [Preconditioner]
    public double Direction(double g, long t) => g / (Math.Sqrt(g * g + Delta * Delta) * (1 - Math.Pow(Decay, t)));

    [Loss] public static double Fair(double r) => Math.Abs(r) - Math.Log(1 + Math.Abs(r));

    [Schedule] public double LearningRate(long t) => 0.1;
}

/// <summary>A preconditioner reading the weight, d(g, w) = tanh g + λ w², and the exponential loss e^{−r} + r.</summary>
[Optimizer]
public partial struct WeightPreconditionerFormulas
{
    public double Lambda { get; init; } = 0.25;

    [Preconditioner]
    public double Direction(double g, double w) => Math.Tanh(g) + Lambda * w * w;

    [Loss] public static double ExponentialLoss(double r) => Math.Exp(-r) + r;

    [Schedule] public double LearningRate(long t) => 0.1;
}
