"""Normal-return models: constant mean, market-adjusted, market model, factor model, GARCH.

A model is fitted on one pair's estimation window and gives, for the event days, the expected
(normal) return and the prediction-error variance of the abnormal return
``AR_t = R_t - E[R_t | X_t]``. Estimation uses statsmodels (OLS family) and ``arch``
(GARCH(1,1) market model). Models are looked up by name in :data:`MODELS`
(:func:`resolve_model`); unknown names are rejected with the list of valid ones.

Leverage
--------
For the OLS family the prediction-error variance is ``s^2 (1 + h_t)`` with
``h_t = x_t' (X'X)^{-1} x_t`` (statsmodels ``get_prediction(...).var_pred_mean / scale``).
:meth:`FittedModel.leverage` also offers the estudy2 variant in which the regressor mean and
sum of squares run over every date of the estimation window where the regressor has a value
(``market_mean="window"``), see :class:`eventstudy.inference.Conventions`.
"""

from __future__ import annotations

import math
import warnings
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np

from eventstudy.errors import EventStudyError

__all__ = [
    "MODELS",
    "ConstantMean",
    "FactorModel",
    "FittedModel",
    "GarchMarketModel",
    "MarketAdjusted",
    "MarketModel",
    "ModelInfo",
    "NormalReturnModel",
    "UnknownModelError",
    "resolve_model",
]


class UnknownModelError(EventStudyError, ValueError):
    """A model name that is not in :data:`MODELS`."""


class ModelFitError(EventStudyError, ValueError):
    """A model could not be fitted on a pair's estimation window."""


@dataclass(frozen=True)
class FittedModel:
    """A normal-return model fitted on one estimation window.

    Attributes
    ----------
    model : the canonical model name.
    params : parameter name -> estimate.
    resid : estimation-window abnormal returns (one per estimation observation).
    nobs : number of estimation observations ``L``.
    k : number of estimated mean parameters (0 for market-adjusted).
    xtx_inv : ``(X'X)^{-1}`` of the mean regression (None without regressors or parameters).
    fit : the underlying statsmodels / arch results object (None for market-adjusted).
    """

    model: str
    params: dict[str, float]
    resid: np.ndarray
    nobs: int
    k: int
    beta: np.ndarray
    has_const: bool
    xtx_inv: np.ndarray | None = None
    fit: Any = None
    garch: dict[str, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def sigma(self, ddof: int | Literal["df_resid"] = 1) -> float:
        """Residual standard deviation: sample sd with ``ddof``, or ``sqrt(SSR/(L - k))``.

        ``"df_resid"`` is statsmodels' ``scale`` for the OLS family; for a model with nothing
        estimated (market-adjusted, ``k = 0``) it is the sample sd with ``ddof=1``.
        """
        if ddof == "df_resid" and self.k == 0:
            ddof = 1
        if ddof == "df_resid":
            dfr = self.nobs - self.k
            return math.sqrt(float(np.sum(self.resid**2)) / dfr) if dfr > 0 else math.nan
        if self.nobs - int(ddof) <= 0:
            return math.nan
        return float(np.std(self.resid, ddof=int(ddof)))

    def expected(self, x: np.ndarray | None, n: int) -> np.ndarray:
        """Expected returns for ``n`` event rows with regressors ``x`` (n, p) or None."""
        out = np.full(n, self.beta[0] if self.has_const else 0.0)
        if x is not None and x.shape[1]:
            b = self.beta[1:] if self.has_const else self.beta
            out = out + x @ b
        return out

    def leverage(
        self,
        x_event: np.ndarray | None,
        n: int,
        x_window: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Leverage ``h_t`` of each event row and its regressor part (without ``1/L``).

        With ``x_window`` (the regressors on every date of the estimation window where they
        have values), the regressor part is ``d' (D'D)^{-1} d`` with ``d`` and ``D`` demeaned
        by the window mean (estudy2's convention); otherwise the exact OLS leverage from
        ``(X'X)^{-1}`` is returned. Models without estimated parameters return zeros.
        """
        if self.k == 0:
            z = np.zeros(n)
            return z, z
        if x_event is None or x_event.shape[1] == 0:
            return np.full(n, 1.0 / self.nobs), np.zeros(n)
        if x_window is not None:
            ok = ~np.isnan(x_window).any(axis=1)
            w = x_window[ok]
            mean = w.mean(axis=0)
            dw = w - mean
            inv = np.linalg.pinv(dw.T @ dw)
            d = x_event - mean
            part = np.einsum("ij,jk,ik->i", d, inv, d)
            return 1.0 / self.nobs + part, part
        assert self.xtx_inv is not None
        xe = np.column_stack([np.ones(n), x_event]) if self.has_const else x_event
        h = np.einsum("ij,jk,ik->i", xe, self.xtx_inv, xe)
        return h, h - 1.0 / self.nobs


class NormalReturnModel(ABC):
    """Base class: a model of the normal return of one instrument."""

    name: ClassVar[str]
    uses_market: ClassVar[bool] = False
    uses_factors: ClassVar[bool] = False
    ols_family: ClassVar[bool] = True

    @abstractmethod
    def fit(self, y: np.ndarray, x: np.ndarray | None, names: list[str]) -> FittedModel:
        """Fit on estimation returns ``y`` (L,) and regressors ``x`` (L, p) without constant."""

    def event_variance(
        self, fitted: FittedModel, sigma: float, leverage: np.ndarray, horizons: np.ndarray
    ) -> np.ndarray:
        """Prediction-error variance of the event abnormal returns."""
        return sigma**2 * (1.0 + leverage)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _ols(y: np.ndarray, design: np.ndarray) -> Any:
    import statsmodels.api as sm

    return sm.OLS(y, design).fit()


class ConstantMean(NormalReturnModel):
    r"""Constant-mean-return model: :math:`R_t = \mu + \varepsilon_t` (OLS on a constant).

    Reference: Brown and Warner (1980, 1985); Campbell, Lo and MacKinlay (1997), ch. 4.
    """

    name = "constant_mean"

    def fit(self, y: np.ndarray, x: np.ndarray | None, names: list[str]) -> FittedModel:
        res = _ols(y, np.ones((len(y), 1)))
        beta = np.asarray(res.params, float)
        return FittedModel(
            self.name,
            {"mu": float(beta[0])},
            np.asarray(res.resid, float),
            len(y),
            1,
            beta,
            True,
            np.asarray(res.normalized_cov_params, float),
            res,
        )


class MarketAdjusted(NormalReturnModel):
    r"""Market-adjusted returns: :math:`AR_t = R_t - R_{m,t}` (alpha 0, beta 1, nothing fitted).

    Reference: Brown and Warner (1980); Campbell, Lo and MacKinlay (1997), ch. 4.
    """

    name = "market_adjusted"
    uses_market = True

    def fit(self, y: np.ndarray, x: np.ndarray | None, names: list[str]) -> FittedModel:
        if x is None or x.shape[1] != 1:
            raise ModelFitError("market_adjusted needs exactly one market column")
        beta = np.array([0.0, 1.0])
        return FittedModel(
            self.name, {"alpha": 0.0, "beta": 1.0}, y - x[:, 0], len(y), 0, beta, True
        )


class MarketModel(NormalReturnModel):
    r"""Market model :math:`R_t = \alpha + \beta R_{m,t} + \varepsilon_t`, OLS.

    Reference: Sharpe (1963); Fama, Fisher, Jensen and Roll (1969); MacKinlay (1997).
    """

    name = "market"
    uses_market = True

    def fit(self, y: np.ndarray, x: np.ndarray | None, names: list[str]) -> FittedModel:
        if x is None or x.shape[1] < 1:
            raise ModelFitError(f"{self.name} needs regressors")
        design = np.column_stack([np.ones(len(y)), x])
        res = _ols(y, design)
        beta = np.asarray(res.params, float)
        params = {"alpha": float(beta[0])}
        params.update(
            {
                f"beta_{n}" if len(names) > 1 else "beta": float(b)
                for n, b in zip(names, beta[1:], strict=True)
            }
        )
        return FittedModel(
            self.name,
            params,
            np.asarray(res.resid, float),
            len(y),
            design.shape[1],
            beta,
            True,
            np.asarray(res.normalized_cov_params, float),
            res,
        )


class FactorModel(MarketModel):
    r"""Factor model :math:`R_t = \alpha + \sum_j \beta_j F_{j,t} + \varepsilon_t`, OLS.

    Any set of regressors (market, Brent, FX ...): the benchmark column (if a market is given)
    and the study's ``factors`` columns. Reference: Fama and French (1993); MacKinlay (1997).
    """

    name = "factor"
    uses_market = False
    uses_factors = True


class GarchMarketModel(NormalReturnModel):
    r"""Market model with GARCH(p, q) errors, fitted by Gaussian ML with ``arch``.

    .. math::
        R_t = \alpha + \beta R_{m,t} + \varepsilon_t,\quad
        \sigma_t^2 = \omega + \sum_{j=1}^{p} a_j \varepsilon_{t-j}^2
        + \sum_{j=1}^{q} b_j \sigma_{t-j}^2

    The event-day variance is the conditional variance forecast ``h`` sessions after the last
    estimation day (the GARCH(1,1) recursion
    :math:`\sigma^2_{T+h} = \omega + (a + b)\sigma^2_{T+h-1}` for ``h >= 2``). With
    ``p = q = 0`` the variance is constant and the ML fit reproduces OLS. Returns are
    multiplied by ``scale`` (default 100) before fitting for numerical stability; estimates
    are reported on the original scale.

    Reference: Bollerslev (1986); Corhay and Tourani Rad (1996); Sheppard, ``arch``.
    """

    name = "garch"
    uses_market = True
    ols_family = False

    def __init__(self, p: int = 1, q: int = 1, scale: float = 100.0) -> None:
        if p < 0 or q < 0 or (p == 0) != (q == 0):
            raise ValueError("GARCH orders: p and q both >= 1, or both 0 (constant variance)")
        self.p, self.q, self.scale = p, q, scale

    def __repr__(self) -> str:
        return f"GarchMarketModel(p={self.p}, q={self.q})"

    def fit(self, y: np.ndarray, x: np.ndarray | None, names: list[str]) -> FittedModel:
        from arch.univariate import arch_model

        if x is None or x.shape[1] < 1:
            raise ModelFitError("garch needs a market column")
        c = self.scale
        vol = "GARCH" if self.p else "Constant"
        kw = {"p": self.p, "q": self.q} if self.p else {}
        am = arch_model(y * c, x=x * c, mean="LS", vol=vol, rescale=False, **kw)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = am.fit(disp="off", options={"maxiter": 500})
        notes = [str(w.message).splitlines()[0] for w in caught]
        if res.convergence_flag != 0:
            notes.append(f"optimizer did not converge (flag {res.convergence_flag})")
        pr = np.asarray(res.params, float)
        k = 1 + x.shape[1]
        beta = pr[:k].copy()
        beta[0] /= c
        resid = y - beta[0] - x @ beta[1:]
        vol_params = {n: float(v) for n, v in zip(res.params.index[k:], pr[k:], strict=True)}
        for key in ("omega", "sigma2"):
            if key in vol_params:
                vol_params[key] /= c**2
        params = {"alpha": float(beta[0])}
        params.update(
            {
                f"beta_{n}" if len(names) > 1 else "beta": float(b)
                for n, b in zip(names, beta[1:], strict=True)
            }
        )
        params.update(vol_params)
        last_var = float(np.asarray(res.conditional_volatility)[-1] ** 2) / c**2
        design = np.column_stack([np.ones(len(y)), x])
        xtx_inv = np.linalg.inv(design.T @ design)
        return FittedModel(
            self.name,
            params,
            resid,
            len(y),
            k,
            beta,
            True,
            xtx_inv,
            res,
            vol_params,
            {"last_var": last_var, "last_resid": float(resid[-1]), "warnings": notes},
        )

    def event_variance(
        self, fitted: FittedModel, sigma: float, leverage: np.ndarray, horizons: np.ndarray
    ) -> np.ndarray:
        g = fitted.garch or {}
        if "sigma2" in g:
            return np.full(len(horizons), g["sigma2"])
        omega = g["omega"]
        a = sum(v for n, v in g.items() if n.startswith("alpha"))
        b = sum(v for n, v in g.items() if n.startswith("beta"))
        # one step ahead (uses the last residual and variance; exact for p = q = 1)
        v1 = omega + a * fitted.extra["last_resid"] ** 2 + b * fitted.extra["last_var"]
        out = np.empty(len(horizons))
        for j, h in enumerate(horizons):
            v = v1
            for _ in range(max(int(h), 1) - 1):
                v = omega + (a + b) * v
            out[j] = v
        return out


@dataclass(frozen=True)
class ModelInfo:
    """A registered model: canonical name, class, aliases, one-line description, reference."""

    name: str
    cls: type[NormalReturnModel]
    description: str
    reference: str
    aliases: tuple[str, ...] = ()


MODELS: dict[str, ModelInfo] = {
    m.name: m
    for m in [
        ModelInfo(
            "constant_mean",
            ConstantMean,
            "constant mean return (OLS on a constant)",
            "Brown and Warner (1985), JFE 14",
            ("mean", "constant", "mean_adjusted"),
        ),
        ModelInfo(
            "market_adjusted",
            MarketAdjusted,
            "return minus benchmark return (alpha 0, beta 1)",
            "Brown and Warner (1980), JFE 8",
            ("adjusted", "market-adjusted", "raw"),
        ),
        ModelInfo(
            "market",
            MarketModel,
            "single-index market model, OLS",
            "MacKinlay (1997), JEL 35",
            ("market_model", "sim", "ols"),
        ),
        ModelInfo(
            "factor",
            FactorModel,
            "multi-factor model, OLS on any regressors",
            "Fama and French (1993), JFE 33",
            ("factor_model", "multifactor", "mim"),
        ),
        ModelInfo(
            "garch",
            GarchMarketModel,
            "market model with GARCH(1,1) errors (arch, ML)",
            "Bollerslev (1986), JoE 31",
            ("garch_market", "garch11"),
        ),
    ]
}


def resolve_model(model: str | NormalReturnModel) -> NormalReturnModel:
    """Return a model instance from a name/alias (case-insensitive) or an instance."""
    if isinstance(model, NormalReturnModel):
        return model
    key = str(model).strip().lower().replace(" ", "_")
    for info in MODELS.values():
        if key == info.name or key in info.aliases:
            return info.cls()
    valid = "; ".join(f"{i.name} ({', '.join(i.aliases)})" for i in MODELS.values())
    raise UnknownModelError(f"unknown model {model!r}; valid models: {valid}")


def model_info(model: NormalReturnModel) -> ModelInfo:
    """The registry entry of a model instance."""
    return MODELS[model.name]
