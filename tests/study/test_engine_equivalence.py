"""``EventStudy.run(engine="fast")`` against the statsmodels reference engine.

The vectorised engine must give the reference's numbers: every frame of the result (same
columns, dtypes and row order; floats to 1e-9 relative with NaN in the same places), the
problems, and the test tables built from them (``daily_tests``, ``window_tests``). Checked on
real index data around the 2022 invasion (MOEX suspension, events sharing a day 0), on seeded
synthetic panels with gaps, NaNs and a regressor that stops varying, and on the estudy2
example in calendar mode, which ``engine="auto"`` must still reproduce.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import eventstudy.study as study_module
from eventstudy.inference import Conventions
from eventstudy.market import compute_returns, load_prices
from eventstudy.models import GarchMarketModel, MarketModel, resolve_model
from eventstudy.study import (
    ENGINES,
    EventStudy,
    EventStudyInputError,
    resolve_engine,
)

RTOL = 1e-9
WINDOWS = [(-5, 5), (-1, 1), (0, 0), (0, 5)]
FRAMES = ("abnormal_returns", "cars", "fits", "problems", "estimation_residuals")


#: The bootstrap p-value is a share of 999 resamples. A resample that draws one pair for
#: every slot has no dispersion, so whether its t is finite (and counted) turns on rounding
#: noise of ~1e-17 in the centred values: with few pairs the share may differ by one
#: resample between any two computations that are equal to 1e-9. Its statistic (the BMP t)
#: is compared to RTOL like everything else; its p-value to one resample.
BOOTSTRAP_P_ATOL = 2.0 / 1000


def assert_frames_equal(
    got: pd.DataFrame, ref: pd.DataFrame, what: str, *, bootstrap_p: str | None = None
) -> None:
    """Same columns, dtypes, index and rows; floats to RTOL (NaN positions equal), the rest
    exactly. ``bootstrap_p`` names a column holding bootstrap p-values (see
    :data:`BOOTSTRAP_P_ATOL`)."""
    assert list(got.columns) == list(ref.columns), what
    assert got.dtypes.to_dict() == ref.dtypes.to_dict(), what
    pd.testing.assert_index_equal(got.index, ref.index, obj=f"{what}.index")
    for col in ref.columns:
        a, b = got[col], ref[col]
        if col == bootstrap_p:
            np.testing.assert_allclose(
                a.to_numpy(), b.to_numpy(), rtol=0, atol=BOOTSTRAP_P_ATOL, err_msg=col
            )
        elif pd.api.types.is_float_dtype(b):
            np.testing.assert_allclose(
                a.to_numpy(), b.to_numpy(), rtol=RTOL, atol=0, err_msg=f"{what}.{col}"
            )
        else:
            pd.testing.assert_series_equal(a, b, obj=f"{what}.{col}")


def assert_results_equal(fast, ref, *, full: bool = True) -> None:
    """Every frame, the daily test statistics and the first window's tests; with ``full``
    also the daily p-values and every window's tests."""
    assert fast.options["engine"] == "fast"
    assert ref.options["engine"] == "statsmodels"
    for name in FRAMES:
        assert_frames_equal(getattr(fast, name), getattr(ref, name), name)
    assert list(fast.windows) == list(ref.windows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # tests that do not apply: NaN
        assert_frames_equal(fast.daily_tests(), ref.daily_tests(), "daily_tests")
        if full:
            assert_frames_equal(
                fast.daily_tests(pvalues=True),
                ref.daily_tests(pvalues=True),
                "daily p",
                bootstrap_p="bootstrap",
            )
        for label in list(ref.windows)[: None if full else 1]:
            got, exp = fast.window_tests(label), ref.window_tests(label)
            assert got.loc["bootstrap", "pvalue"] == pytest.approx(
                exp.loc["bootstrap", "pvalue"], abs=BOOTSTRAP_P_ATOL, nan_ok=True
            )
            assert_frames_equal(
                got.drop(index="bootstrap"),
                exp.drop(index="bootstrap"),
                f"window_tests {label}",
            )
            np.testing.assert_allclose(
                got.loc["bootstrap", "statistic"], exp.loc["bootstrap", "statistic"], rtol=RTOL
            )


def run_both(study: EventStudy, *args, **kwargs):
    return (
        study.run(*args, engine="fast", **kwargs),
        study.run(*args, engine="statsmodels", **kwargs),
    )


# ----------------------------------------------------------------------------------------
# (a) real data: Russian indices on EEM, European indices on URTH, 2021-2022
# ----------------------------------------------------------------------------------------

REAL_EVENTS = pd.DataFrame(
    [
        ("navalny_return", "2021-01-18"),
        ("buildup_april", "2021-04-20"),
        ("buildup_nov", "2021-11-10"),
        ("draft_treaties", "2021-12-17"),
        ("us_reply", "2022-01-26"),
        ("recognition", "2022-02-21"),
        ("invasion", "2022-02-24"),
        ("eu_sanctions_1", "2022-02-24"),  # same day 0 as the invasion everywhere
        ("swift_saturday", "2022-02-26"),  # Saturday: Monday in Europe, 03-24 in Moscow
        ("cbr_assets", "2022-02-28"),  # MOEX closed: day 0 on 2022-03-24
        ("mcdonalds_exit", "2022-03-08"),  # MOEX closed too: the same day 0 there
        ("mobilisation", "2022-09-21"),
        ("price_cap", "2022-12-27"),  # event window runs past the data
    ],
    columns=["event_id", "date"],
)


@pytest.fixture(scope="module")
def real(market_dir):
    prices = load_prices(
        ["IMOEX", "RTSI", "STOXX50E", "DAX", "EEM", "URTH", "SP500"],
        "2020-01-01",
        "2022-12-31",
        source="csv",
        path=market_dir,
    )
    returns = compute_returns(prices)
    return {
        "returns": returns[["IMOEX", "RTSI", "STOXX50E", "DAX"]],
        "market": returns[["EEM", "URTH"]],
        "benchmarks": {"IMOEX": "EEM", "RTSI": "EEM", "STOXX50E": "URTH", "DAX": "URTH"},
        "factors": returns[["SP500"]],
    }


def test_real_data_has_the_cases_we_mean_to_cover(real):
    r = real["returns"]
    assert r.loc["2022-02-28":"2022-03-23", ["IMOEX", "RTSI"]].isna().all().all()
    assert r.loc["2022-02-28":"2022-03-23", "DAX"].notna().any()
    assert real["market"].isna().any().all()  # US holidays: NaN regressors on some days


@pytest.mark.parametrize("model", ["market", "constant_mean", "market_adjusted", "factor"])
def test_real_data_fast_equals_statsmodels(real, model):
    kw = {"factors": real["factors"]} if model == "factor" else {}
    study = EventStudy(
        real["returns"], market=real["market"], model=model, benchmarks=real["benchmarks"], **kw
    )
    fast, ref = run_both(study, REAL_EVENTS, event_windows=WINDOWS)
    assert_results_equal(fast, ref)
    # the cases are really there: shared day 0 (same day and the MOEX closure), problems
    kinds = set(ref.problems["kind"])
    assert {"shared_day0", "event_window_truncated"} <= kinds
    if model != "constant_mean":  # US holidays: benchmark NaN on Moscow/Frankfurt sessions
        assert "missing_regressor" in kinds
    groups = ref.fits.set_index(["event_id", "instrument"])["day0_group"]
    assert groups[("eu_sanctions_1", "DAX")] == "invasion"
    assert groups[("cbr_assets", "IMOEX")] == "swift_saturday"
    assert groups[("mcdonalds_exit", "IMOEX")] == "swift_saturday"
    assert groups[("cbr_assets", "DAX")] == "swift_saturday"  # Monday 2022-02-28
    assert groups[("mcdonalds_exit", "DAX")] == "mcdonalds_exit"
    day0 = ref.fits.set_index(["event_id", "instrument"])["day0"]
    assert day0[("cbr_assets", "IMOEX")] == pd.Timestamp("2022-03-24")


def test_real_data_options_fast_equals_statsmodels(real):
    study = EventStudy(
        real["returns"], market=real["market"], model="market", benchmarks=real["benchmarks"]
    )
    conv = Conventions(sigma_ddof="df_resid", market_mean="own", prediction_correction=False)
    fast, ref = run_both(
        study,
        REAL_EVENTS,
        event_windows=WINDOWS,
        contamination="exclude",
        prediction_error=False,
        se_ddof=1,
        conventions=conv,
        min_estimation=150,
    )
    assert_results_equal(fast, ref)
    assert ref.problems["kind"].eq("contamination").any()


def test_auto_engine_and_registry_interface(real):
    study = EventStudy(
        real["returns"], market=real["market"], model="market", benchmarks=real["benchmarks"]
    )
    res = study.run(REAL_EVENTS, event_windows=WINDOWS)  # engine="auto" by default
    assert res.options["engine"] == "fast"
    # the per-pair interface of the registry gives the reference's PairEstimates
    plan = study.plan(REAL_EVENTS, event_windows=WINDOWS)
    args = (study.data, plan, study.model, Conventions())
    fast, p_fast = ENGINES["fast"](*args, prediction_error=True, se_ddof="df_resid")
    ref, p_ref = ENGINES["statsmodels"](*args, prediction_error=True, se_ddof="df_resid")
    assert p_fast == p_ref == []
    assert [(e.window.event_id, e.window.instrument) for e in fast] == [
        (e.window.event_id, e.window.instrument) for e in ref
    ]
    for a, b in zip(fast, ref, strict=True):
        assert a.params.keys() == b.params.keys()
        np.testing.assert_allclose(list(a.params.values()), list(b.params.values()), rtol=RTOL)
        assert (a.nobs, a.k, a.df) == (b.nobs, b.k, b.df)
        for f in ("event_ar", "event_var", "leverage", "market_leverage", "est_ar"):
            np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=RTOL, err_msg=f)
        np.testing.assert_allclose(
            np.array(list(a.cars.values())), np.array(list(b.cars.values())), rtol=RTOL
        )


# ----------------------------------------------------------------------------------------
# (b) synthetic panels with gaps and NaNs
# ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(20220224)
    n_rows, n_inst = 900, 6
    idx = pd.bdate_range("2018-01-01", periods=n_rows)
    market = rng.normal(0.0003, 0.01, n_rows)
    f2 = rng.normal(0.0, 0.02, n_rows)
    r = 0.0002 + market[:, None] * rng.uniform(0.5, 1.5, n_inst)
    r = r + 0.5 * f2[:, None] * rng.uniform(-1, 1, n_inst) + rng.normal(0, 0.015, r.shape)
    r[rng.random(r.shape) < 0.03] = np.nan  # scattered missing days
    r[300:330, 2] = np.nan  # a suspension
    r[:200, 4] = np.nan  # a late listing
    market[rng.random(n_rows) < 0.02] = np.nan  # benchmark holidays
    names = [f"S{i}" for i in range(n_inst)]
    pos = [280, 290, 290, 295, 400, 500, 650, 895, 10]
    events = pd.DataFrame(
        {
            "event_id": [f"E{i}" for i in range(len(pos))],
            "date": idx[pos],
            "category": ["a", "b", "a", "b", "a", "b", "a", "b", "a"],
        }
    )
    return {
        "returns": pd.DataFrame(r, index=idx, columns=names),
        "market": pd.Series(market, index=idx, name="MKT"),
        "factors": pd.DataFrame({"F2": f2}, index=idx),
        "events": events,
    }


@pytest.mark.parametrize("model", ["market", "constant_mean", "market_adjusted", "factor"])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"contamination": "exclude", "se_ddof": 1, "estimation": (-200, -6)},
        {
            "prediction_error": False,
            "same_day0": "drop",
            "conventions": Conventions(sigma_ddof="df_resid", market_mean="own"),
        },
    ],
    ids=["defaults", "exclude-ddof1", "no-pred-error-drop-own"],
)
def test_synthetic_fast_equals_statsmodels(synthetic, model, options):
    kw = {"factors": synthetic["factors"]} if model == "factor" else {}
    study = EventStudy(synthetic["returns"], market=synthetic["market"], model=model, **kw)
    fast, ref = run_both(study, synthetic["events"], event_windows=WINDOWS, **options)
    assert_results_equal(fast, ref, full=not options)
    assert len(ref.fits) > 30
    if model != "constant_mean":
        assert ref.abnormal_returns["ar"].isna().any()  # NaN regressors on event days


def test_synthetic_events_per_instrument_and_groups(synthetic):
    ev = synthetic["events"].assign(
        instrument=["S0", "S1", "S1", "S2", "S3", "S4", "S5", "S0", "S1"]
    )
    study = EventStudy(synthetic["returns"], market=synthetic["market"], model="market")
    fast, ref = run_both(study, ev, event_windows=[(-3, 3), (0, 1)])
    assert_results_equal(fast, ref)
    assert_frames_equal(fast.aggregate("category"), ref.aggregate("category"), "aggregate")
    assert_frames_equal(fast.aggregate_cars(), ref.aggregate_cars(), "aggregate_cars")


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.SingularMatrixWarning")
def test_regressor_without_variation_falls_back_to_statsmodels(synthetic, monkeypatch):
    """A benchmark that is constant over an estimation window makes the normal equations
    singular; those pairs are fitted by statsmodels (pseudo-inverse), so the results still
    agree, and pairs elsewhere stay vectorised."""
    market = synthetic["market"].copy()
    market.iloc[250:700] = 0.001  # no variation for pairs estimated in this stretch
    study = EventStudy(synthetic["returns"], market=market, model="market")
    refitted: list[int] = []
    original = study_module._refit_with_statsmodels

    def spy(batch, bad, *args):
        refitted.append(int(bad.sum()))
        return original(batch, bad, *args)

    monkeypatch.setattr(study_module, "_refit_with_statsmodels", spy)
    fast, ref = run_both(study, synthetic["events"], event_windows=WINDOWS)
    assert_results_equal(fast, ref)
    assert refitted and 0 < refitted[0] < len(ref.fits)  # some pairs, not all


def test_no_pair_estimated_gives_the_same_empty_result(synthetic):
    study = EventStudy(synthetic["returns"], market=synthetic["market"], model="market")
    fast, ref = run_both(study, synthetic["events"], event_windows=WINDOWS, min_estimation=600)
    assert fast.n_pairs == ref.n_pairs == 0
    for name in FRAMES:
        assert_frames_equal(getattr(fast, name), getattr(ref, name), name)
    assert fast.problems["kind"].eq("too_few_observations").any()
    with pytest.raises(ValueError, match="no estimated pairs"):
        fast.daily_tests()


def test_calendar_mode_synthetic(synthetic):
    study = EventStudy(synthetic["returns"], market=synthetic["market"], model="market")
    idx = synthetic["returns"].index
    fast, ref = run_both(study, estimation=(idx[300], idx[560]), event_window=(idx[570], idx[580]))
    assert fast.mode == "calendar"
    assert_results_equal(fast, ref)


def test_engine_names(synthetic):
    study = EventStudy(synthetic["returns"], market=synthetic["market"], model="market")
    with pytest.raises(EventStudyInputError, match=r"valid engines: auto.*statsmodels.*fast"):
        study.run(synthetic["events"], engine="turbo")
    assert resolve_engine("auto", MarketModel()) == "fast"
    assert resolve_engine("auto", GarchMarketModel()) == "statsmodels"
    assert resolve_engine("reference", resolve_model("market")) == "statsmodels"
    for name in ("constant_mean", "market_adjusted", "factor"):
        assert resolve_engine("auto", resolve_model(name)) == "fast"
    with pytest.raises(EventStudyInputError, match="engine 'fast' computes the models"):
        resolve_engine("fast", GarchMarketModel())

    class MyModel(MarketModel):  # a user's model: not assumed to be the OLS market model
        pass

    assert resolve_engine("auto", MyModel()) == "statsmodels"


# ----------------------------------------------------------------------------------------
# (c) the estudy2 example, calendar mode, with the default engine
# ----------------------------------------------------------------------------------------


def test_estudy2_calendar_mode_auto_engine(estudy2_dir):
    rates = pd.read_csv(estudy2_dir / "rates.csv", index_col="date", parse_dates=["date"])
    rates_indx = pd.read_csv(estudy2_dir / "rates_indx.csv", index_col="date", parse_dates=["date"])
    expected = pd.read_csv(estudy2_dir / "expected_daily.csv", parse_dates=["date"])
    study = EventStudy(rates, market=rates_indx["^GSPC"], model="market")
    window = {
        "estimation": ("2019-04-01", "2020-03-13"),
        "event_window": ("2020-03-16", "2020-03-20"),
    }
    res = study.run(**window)
    assert res.options["engine"] == "fast"
    got = res.daily_tests().set_index("date")
    exp = expected.set_index("date")
    for col in exp.columns:  # every published column, as in test_estudy2_oracle.py
        np.testing.assert_allclose(
            got[col].reindex(exp.index).to_numpy(),
            exp[col].to_numpy(),
            rtol=1e-6,
            atol=0,
            err_msg=col,
        )
    assert_results_equal(res, study.run(engine="statsmodels", **window))
