using MathNet.Numerics;

namespace Experiments.Core.Search;

/// <summary>
/// The standard normal truncated to [a, b], in log space so far tails stay finite: the same formulas as Optuna's
/// <c>_truncnorm</c> (itself SciPy's), which the Parzen estimators sample from and score with.
/// </summary>
internal static class TruncatedNormal
{
    // Python's sys.float_info.epsilon (2^-52), which ends Optuna's series; .NET's double.Epsilon is the smallest subnormal.
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>The point below which a share <paramref name="q"/> of the mass of N(0, 1) on [a, b] lies.</summary>
    public static double Quantile(double q, double a, double b)
    {
        if (q == 0)
        {
            return a;
        }

        if (q == 1)
        {
            return b;
        }

        // Work in whichever tail keeps the arithmetic away from 1 - tiny.
        return a < 0
            ? InverseLogCdf(LogAddExp(LogCdf(a), Math.Log(q) + LogMass(a, b)))
            : -InverseLogCdf(LogAddExp(LogCdf(-b), Math.Log(1 - q) + LogMass(a, b)));
    }

    /// <summary>log P(a &lt;= Z &lt;= b) for Z ~ N(0, 1).</summary>
    public static double LogMass(double a, double b)
    {
        if (b <= 0)
        {
            return LogDiff(LogCdf(b), LogCdf(a));
        }

        if (a > 0)
        {
            return LogDiff(LogCdf(-a), LogCdf(-b));
        }

        // Straddling 0 the mass is near 1: subtracting the two small tails avoids cancellation.
        return LogOnePlus(-Cdf(a) - Cdf(-b));
    }

    /// <summary>log Phi(a), accurate far into both tails (asymptotic series below -20).</summary>
    public static double LogCdf(double a)
    {
        if (a > 6)
        {
            return -Cdf(-a);
        }

        if (a > -20)
        {
            return Math.Log(Cdf(a));
        }

        var logLeft = (-0.5 * a * a) - Math.Log(-a) - LogSqrtTwoPi;
        var lastTotal = 0.0;
        var rightHandSide = 1.0;
        var numerator = 1.0;
        var denominatorFactor = 1.0;
        var denominatorStep = 1 / (a * a);
        var sign = 1;
        for (var i = 1; Math.Abs(lastTotal - rightHandSide) > MachineEpsilon; i++)
        {
            lastTotal = rightHandSide;
            sign = -sign;
            denominatorFactor *= denominatorStep;
            numerator *= (2 * i) - 1;
            rightHandSide += sign * numerator * denominatorFactor;
        }

        return logLeft + Math.Log(rightHandSide);
    }

    /// <summary>Phi(a) through erf/erfc in the range where each is exact.</summary>
    public static double Cdf(double a)
    {
        var x = a / Math.Sqrt(2);
        if (x < -1 / Math.Sqrt(2))
        {
            return 0.5 * SpecialFunctions.Erfc(-x);
        }

        return x < 1 / Math.Sqrt(2) ? 0.5 + (0.5 * SpecialFunctions.Erf(x)) : 1.0 - (0.5 * SpecialFunctions.Erfc(x));
    }

    // Bisection like Optuna's: a fixed 100 halvings of [-100, 100] reach double precision and never diverge.
    private static double InverseLogCdf(double logP)
    {
        double low = -100, high = 100, middle = 0;
        for (var i = 0; i < 100; i++)
        {
            middle = (low + high) / 2;
            if (LogCdf(middle) < logP)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return middle;
    }

    private static double LogDiff(double logP, double logQ) => logP + LogOnePlus(-Math.Exp(logQ - logP));

    private static double LogAddExp(double x, double y)
    {
        if (double.IsNegativeInfinity(x))
        {
            return y;
        }

        if (double.IsNegativeInfinity(y))
        {
            return x;
        }

        var max = Math.Max(x, y);
        return max + LogOnePlus(Math.Exp(-Math.Abs(x - y)));
    }

    /// <summary>log(1 + x), exact for tiny x too (Goldberg's trick: the rounding of 1 + x cancels out).</summary>
    public static double LogOnePlus(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }
}
