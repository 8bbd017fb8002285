"""The grid layout: the register as dense ``part x period`` and ``part x year`` arrays (own values,
comparator values carried forward, targets in force, running totals), parts found by integer keys."""

from __future__ import annotations

import math
from contextvars import copy_context

import numpy as np
import pandas as pd

from performance.periods import Period, PeriodError, financial_year, parse_period, parse_year
from performance.rag.codes import (
    _ANNUAL_SLOT,
    _FREQUENCY,
    _SIGN,
    _SLOTS,
    _YEARS_BEFORE,
    BASELINE_AND_TARGET,
    BIENNIAL,
    QUARTERLY,
    SNAPSHOT,
    T_SET,
)
from performance.rag.texts import (
    _index_of,
    _label_code,
    _lookup_codes,
    _number,
    _prefetch,
    _reading,
    _text,
    _text_codes,
)
from performance.rag.threads import _workers
from performance.register import Register
from performance.vocabulary import DEFAULT_SETTINGS, MEASURES, RAG_SCHEMES, TARGET_STATUSES


class _Keys:
    """The (framework, code, part) key of each indicator part, as one integer per part.

    Returns and targets find their part through these integers (a lookup table or an integer
    index) rather than a MultiIndex of strings, which costs far more on a million rows.
    """

    _MAX_TABLE = 1 << 22  # up to 4M possible keys, a lookup table (32 MB) beats hashing

    def __init__(self, ind: pd.DataFrame) -> None:
        codes, self.labels = [], []
        for column in ("framework", "code", "part"):
            c, labels = _text_codes(ind, column)
            codes.append(c)
            self.labels.append(pd.Index(labels, dtype=object))
        self.sizes = [len(labels) for labels in self.labels]
        self.codes = codes  # per part, into self.labels
        self.flat = self.combine(*codes)
        self.n_keys = math.prod(self.sizes)
        if self.n_keys <= self._MAX_TABLE:
            self._table = np.full(self.n_keys + 1, -1, dtype=np.int64)  # the last slot: no key
            self._table[self.flat] = np.arange(len(self.flat))
            self._index = None
        else:
            self._table, self._index = None, pd.Index(self.flat)

    def combine(self, framework: np.ndarray, code: np.ndarray, part: np.ndarray) -> np.ndarray:
        """One integer per row from positions in the labels; -1 where any of them is -1."""
        _, n_code, n_part = self.sizes
        key = framework.astype(np.int64)  # in place from here: no fresh temporaries per step
        key *= n_code
        key += code
        key *= n_part
        key += part
        key[(framework < 0) | (code < 0) | (part < 0)] = -1
        return key

    def _terms(self, frame: pd.DataFrame, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(codes, labels, terms)`` of a frame's framework (0), code (1) or part (2) column:
        the column factorized, and per label its share of the key (label position x stride),
        or a negative share so large that any key containing it is negative (no part has it);
        the last term is for code -1."""
        codes, labels = _text_codes(frame, ("framework", "code", "part")[i])
        stride = math.prod(self.sizes[i + 1:])
        position = self.labels[i].get_indexer(pd.Index(labels, dtype=object))
        missing = -2 * (self.n_keys + 1)
        return codes, labels, np.append(np.where(position >= 0, position * stride, missing), missing)

    def parts_of(self, frame: pd.DataFrame, fill_framework: bool = False) -> np.ndarray:
        """The part number of each row of ``frame`` (by its framework, code and part), -1
        where no part has that key.

        ``fill_framework``: a row with no framework takes that of the first part with its
        code and part (returns written without one).
        """
        fw_codes, fw_labels, fw_terms = self._terms(frame, 0)
        code_codes, _, code_terms = self._terms(frame, 1)
        part_codes, _, part_terms = self._terms(frame, 2)
        # added in place as integers: one gather per column, no per-step temporaries
        pair = code_terms[code_codes]
        pair += part_terms[part_codes]
        key = fw_terms[fw_codes]
        key += pair
        blank = np.flatnonzero(fw_codes == _label_code(fw_labels, "")) if fill_framework else ()
        if len(blank):
            _, n_code, n_part = self.sizes
            own_pair = self.codes[1] * n_part + self.codes[2]
            firsts = ~pd.Series(own_pair).duplicated().to_numpy()
            found = pd.Index(own_pair[firsts]).get_indexer(np.maximum(pair[blank], -1))
            framework = np.where(found >= 0, self.codes[0][firsts][found], -1)
            key[blank] = np.where(framework >= 0, framework * n_code * n_part + pair[blank], -1)
        np.maximum(key, -1, out=key)  # every key with a missing share -> -1
        if self._table is not None:
            return self._table[key]  # key -1 reads the last slot: no part
        return self._index.get_indexer(key)


def _setting(settings: dict, name: str) -> str:
    value = str(settings.get(name, "") or "").strip()
    return value or DEFAULT_SETTINGS[name]


def _setting_float(settings: dict, name: str) -> float:
    try:
        return float(_setting(settings, name))
    except ValueError:
        return float(DEFAULT_SETTINGS[name])


def _year_or_none(text: object) -> int | None:
    try:
        return parse_year(text)
    except PeriodError:
        return None


def _ordinals_of(codes: np.ndarray, labels) -> tuple[np.ndarray, np.ndarray]:
    """The ordinals of factorized period labels (code -1: unreadable), and the distinct
    ordinals that occur (one per label), parsing each label once."""
    ords = np.empty(len(labels) + 1, dtype=np.int64)
    for i, label in enumerate(labels):
        try:
            p = parse_period(label)
        except PeriodError:
            ords[i] = -1
            continue
        ords[i] = _ordinal(p)
    ords[-1] = -1  # code -1 (missing) indexes the last element
    return ords[codes], ords[:-1]


def _ordinal(period: Period) -> int:
    return period.year * _SLOTS + (_ANNUAL_SLOT if period.quarter is None else period.quarter - 1)


def _period_label(ordinal: int) -> str:
    year, slot = divmod(int(ordinal), _SLOTS)
    return financial_year(year) + ("" if slot == _ANNUAL_SLOT else f" Q{slot + 1}")


def _ffill_index(has: np.ndarray) -> np.ndarray:
    """Along the last axis: index of the latest True at or before each position, else -1."""
    idx = np.where(has, np.arange(has.shape[-1]), -1)
    return np.maximum.accumulate(idx, axis=-1)


def _take_last(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    out = np.take_along_axis(values, np.maximum(idx, 0), axis=-1)
    return np.where(idx >= 0, out, np.nan)


def _earlier_sum(per_year: np.ndarray, first_y: np.ndarray) -> np.ndarray:
    """Sum over the agreement's earlier years (exclusive cumulative sum along years).

    Years before the agreement began count nothing; a missing earlier year makes the sum NaN.
    """
    n_years = per_year.shape[1]
    before = np.arange(n_years)[None, :] < first_y[:, None]
    masked = np.where(before, 0.0, per_year)
    out = np.zeros_like(masked)
    out[:, 1:] = np.cumsum(masked, axis=1)[:, :-1]
    return out


class _Grids:
    """The register laid out as dense arrays: parts x periods and parts x years."""

    def __init__(self, register: Register, copied_texts: bool = True) -> None:
        """``copied_texts``: also factorize the texts rate() copies into its frame (commentary,
        titles ...), so that they are ready when it does."""
        returns = register.returns.reset_index(drop=True)
        targets = register.targets.reset_index(drop=True)
        # Hashing a million texts is the biggest cost of a rating: the key columns of returns
        # and targets, and the texts copied into the rated frame, are factorized by two worker
        # threads (pyarrow lets go of the GIL) while this thread reads the indicators;
        # _text_codes reads them back within _reading(self.prefetched).
        wanted = [(returns, ("code", "part", "framework", "area", "period")),  # needed first
                  (targets, ("framework", "code", "part", "year", "version", "status", "measure",
                             "effective_from"))]
        if copied_texts:
            wanted += [(returns, ("commentary", "action", "source")), (targets, ("text",))]
        self.prefetched: dict = {}
        for frame, columns in wanted:
            for column in columns:
                if len(frame) and column in frame.columns:
                    _prefetch(self.prefetched, frame, column)
        with _reading(self.prefetched):
            self._read(register, returns, targets, copied_texts)

    def _read(self, register: Register, returns: pd.DataFrame, targets: pd.DataFrame,
              copied_texts: bool) -> None:
        settings = {**DEFAULT_SETTINGS, **(register.settings or {})}
        ind = register.indicators.reset_index(drop=True)
        key_cols = ["framework", "code", "part"]
        ind = ind.assign(**{c: _text(ind, c) for c in key_cols})
        self.keys = _Keys(ind)
        duplicate = pd.Series(self.keys.flat).duplicated().to_numpy()
        if duplicate.any():  # a part listed twice: the first row counts (drop_duplicates)
            ind = ind[~duplicate].reset_index(drop=True)
            self.keys = _Keys(ind)
        self.ind = ind
        for column in ("title", "theme", "theme_board", "unit", "comparator", "survey_years"):
            if copied_texts and column in ind.columns:  # for rate()'s identity columns, queued
                _prefetch(self.prefetched, ind, column)  # after the returns' texts
        self.n_parts = len(ind)

        # per part
        self.sign = _lookup_codes(_text_codes(ind, "polarity"), _SIGN, 0).astype(np.int8)
        measures = {m: i for i, m in enumerate(MEASURES)}
        self.measure = _lookup_codes(_text_codes(ind, "measure"), measures, SNAPSHOT)
        self.frequency = _lookup_codes(_text_codes(ind, "frequency"), _FREQUENCY, QUARTERLY)
        self.baseline = _number(ind, "baseline")
        default_tol = _setting_float(settings, "default_tolerance_pct")
        tol_pct = _number(ind, "tolerance_pct")
        self.tolerance_pct = np.where(np.isnan(tol_pct), default_tol, tol_pct)
        self.tolerance_points = _number(ind, "tolerance_points")
        default_scheme = _setting(settings, "rag_scheme")
        schemes = {s: i for i, s in enumerate(RAG_SCHEMES)}
        scheme_codes, scheme_labels = _text_codes(ind, "rag_scheme")
        scheme_labels = np.where(scheme_labels == "", default_scheme, scheme_labels)
        self.scheme = _lookup_codes(
            (scheme_codes, scheme_labels), schemes, BASELINE_AND_TARGET).astype(np.int8)
        self.removed = (_text(ind, "status") == "removed").to_numpy()
        self.comparator = _text(ind, "comparator").to_numpy(dtype=object)
        self.has_comparator = self.comparator != ""
        self.direction_threshold_pct = _setting_float(settings, "direction_threshold_pct")

        # frameworks: years and own area
        fw = register.frameworks if register.frameworks is not None else pd.DataFrame()
        spans: dict[str, tuple[int, int]] = {}
        own_areas: dict[str, str] = {}
        for row in fw.itertuples(index=False):
            name = str(getattr(row, "framework", "") or "").strip()
            first = _year_or_none(getattr(row, "first_year", ""))
            last = _year_or_none(getattr(row, "last_year", ""))
            if name and first is not None and last is not None:
                spans[name] = (first, last)
            area = getattr(row, "own_area", "")
            if name and isinstance(area, str) and area.strip():
                own_areas[name] = area.strip()
        default_area = _setting(settings, "own_area")
        fw_codes, fw_labels = self.keys.codes[0], self.keys.labels[0]
        self.own_area = np.array([own_areas.get(f, default_area) for f in fw_labels], dtype=object)[fw_codes]
        self._load(ind, returns, targets, spans, fw_codes, fw_labels)

    def _load(self, ind: pd.DataFrame, returns: pd.DataFrame, targets: pd.DataFrame, spans: dict,
              fw_codes: np.ndarray, fw_labels) -> None:
        """The periods and years the grids span, survey years, returns and targets."""
        n = self.n_parts
        r_ord, r_periods = (_ordinals_of(*_text_codes(returns, "period")) if len(returns)
                            else (np.empty(0, np.int64), np.empty(0, np.int64)))
        year_codes, year_labels = _text_codes(targets, "year")
        years = [_year_or_none(label) for label in year_labels]
        t_year = np.array([-1 if y is None else y for y in years] + [-1], dtype=np.int64)[year_codes]
        data_years = [int(o) // _SLOTS for o in r_periods if o >= 0]
        data_years += [y for y in years if y is not None]
        if spans:  # an indicator of an unknown framework gets the span of all frameworks
            span_first = min(first for first, _ in spans.values())
            span_last = max(last for _, last in spans.values())
            # earlier years only matter as comparator values and year-earlier directions
            y0 = max(min([span_first, *data_years]), span_first - _YEARS_BEFORE)
            y1 = span_last
        else:
            span_first, span_last = min(data_years, default=2008), max(data_years, default=2008)
            y0, y1 = span_first, span_last
        self.y0, n_years = y0, y1 - y0 + 1
        self.n_years, self.n_t = n_years, n_years * _SLOTS
        first = np.array([spans.get(f, (span_first,))[0] for f in fw_labels], dtype=np.int64)
        last = np.array([spans.get(f, (0, span_last))[1] for f in fw_labels], dtype=np.int64)
        self.first_y = first[fw_codes] - y0
        self.last_y = last[fw_codes] - y0

        # survey years: a biennial survey with survey_years listed is due in those years only
        self.survey_year = np.ones((n, n_years), dtype=bool)
        survey = _text(ind, "survey_years")
        for i in np.flatnonzero((self.frequency == BIENNIAL) & (survey != "").to_numpy()):
            self.survey_year[i] = False
            for label in str(survey.iat[i]).replace(",", ";").split(";"):
                y = _year_or_none(label)
                if y is not None and 0 <= y - y0 < n_years:
                    self.survey_year[i, y - y0] = True

        # targets and returns fill different grids: the targets on a worker thread meanwhile
        # (in this context, so that it reads the same factorized texts)
        targets_loaded = _workers().submit(copy_context().run, self._load_targets, targets, t_year)
        self._load_returns(returns, r_ord)
        if targets_loaded.cancel():  # still queued: done here rather than waited for
            self._load_targets(targets, t_year)
        else:
            targets_loaded.result()

    # returns -> own values, forecasts, row numbers; comparator values carried forward
    def _load_returns(self, returns: pd.DataFrame, r_ord: np.ndarray) -> None:
        n, n_t = self.n_parts, self.n_t
        self.returns = returns
        self.own_val = np.full((n, n_t), np.nan)
        self.own_fc = np.full((n, n_t), np.nan)
        self.own_row = np.full((n, n_t), -1, dtype=np.int64)
        comp = np.full((n, n_t), np.nan)
        if len(returns):
            pid = self.keys.parts_of(returns, fill_framework=True)
            area_codes, areas = _text_codes(returns, "area")
            area_index = pd.Index(areas, dtype=object)
            t = r_ord - self.y0 * _SLOTS
            flat = pid * n_t  # the row's cell in the part x period grids (where ok)
            flat += t
            ok = (pid >= 0) & (t >= 0) & (t < n_t)  # a part, in the grid's years
            any_part = np.maximum(pid, 0)
            values = _number(returns, "value")

            def rows_of(area_of_part: np.ndarray) -> np.ndarray:
                """Rows (in file order) of returns for each part's given area (-1: none)."""
                if not len(area_of_part) or (area_of_part < 0).all():
                    return np.empty(0, dtype=np.intp)
                if (area_of_part == area_of_part[0]).all():  # one area for every part: no gather
                    return np.flatnonzero(ok & (area_codes == area_of_part[0]))
                wanted = area_of_part[any_part]
                return np.flatnonzero(ok & (area_codes == wanted) & (wanted >= 0))

            # rows in file order: np.put writes in order, so a later duplicate wins
            own_rows = rows_of(_index_of(area_index, self.own_area))
            own_flat = flat[own_rows]
            np.put(self.own_val, own_flat, values[own_rows])
            np.put(self.own_fc, own_flat, _number(returns, "forecast_year_end")[own_rows])
            np.put(self.own_row, own_flat, own_rows)
            if self.has_comparator.any():
                comp_rows = rows_of(np.where(self.has_comparator, _index_of(area_index, self.comparator), -1))
                np.put(comp, flat[comp_rows], values[comp_rows])
        # the comparator's value for the same period or the latest before it (worked out for
        # the parts that have comparator values: for the others it is NaN throughout)
        self.comp_ff = np.full((n, n_t), np.nan)
        with_comp = np.flatnonzero(~np.isnan(comp).all(axis=1))
        if len(with_comp):
            self.comp_ff[with_comp] = _take_last(comp[with_comp], _ffill_index(~np.isnan(comp[with_comp])))

        # one value per year for running totals: the annual outturn, else the latest
        # year-to-date quarter
        by_year = self.own_val.reshape(n, self.n_years, _SLOTS)
        quarters = by_year[:, :, :_ANNUAL_SLOT]
        last_q = np.where(~np.isnan(quarters), np.arange(_ANNUAL_SLOT), -1).max(axis=-1, keepdims=True)
        latest_q = _take_last(quarters, last_q)[:, :, 0]
        annual = by_year[:, :, _ANNUAL_SLOT]
        self.year_value = np.where(np.isnan(annual), latest_q, annual)
        self.earlier_value = _earlier_sum(self.year_value, self.first_y)
        # latest quarterly entry (value or officer forecast) at or before each quarter
        officer = self.own_fc.reshape(n, self.n_years, _SLOTS)[:, :, :_ANNUAL_SLOT]
        self.latest_entry_slot = _ffill_index(~np.isnan(quarters) | ~np.isnan(officer))  # (n, years, 4)

    # targets -> current and original versions per part and year
    def _load_targets(self, targets: pd.DataFrame, t_year: np.ndarray) -> None:
        n, n_years = self.n_parts, self.n_years
        shape = (n, n_years)
        self.targets = targets
        self.tgt_val, self.orig_val = np.full(shape, np.nan), np.full(shape, np.nan)
        self.tgt_status = np.full(shape, -1, dtype=np.int64)
        self.tgt_measure = np.full(shape, -1, dtype=np.int64)
        self.orig_measure = np.full(shape, -1, dtype=np.int64)
        self.tgt_row = np.full(shape, -1, dtype=np.int64)
        if len(targets):
            pid = self.keys.parts_of(targets)
            year = np.where(t_year >= 0, t_year - self.y0, -1)
            version_codes, version_labels = _text_codes(targets, "version")
            statuses = {s: i for i, s in enumerate(TARGET_STATUSES)}
            status = _lookup_codes(_text_codes(targets, "status"), statuses)
            measure = _lookup_codes(_text_codes(targets, "measure"), {m: i for i, m in enumerate(MEASURES)})
            values = _number(targets, "value")
            # a row with a value but no (or an unknown) status counts as set
            status = np.where((status < 0) & np.isfinite(values), T_SET, status)
            ok = (pid >= 0) & (year >= 0) & (year < n_years)
            # the register's one rule for the version in force (the original first, every later
            # version by effective date, ties in the order added): the last one wins
            from performance.register import version_precedence
            from performance.vocabulary import ORIGINAL_VERSION

            eff_codes, eff_labels = _text_codes(targets, "effective_from")
            order = version_precedence(version_codes, version_labels, eff_codes, eff_labels)
            order = order[ok[order]]
            orig = order[version_codes[order] == _label_code(version_labels, ORIGINAL_VERSION)]
            flat = pid[order] * n_years + year[order]
            # np.put writes in order, so the last row per part and year wins
            np.put(self.tgt_val, flat, values[order])
            np.put(self.tgt_status, flat, status[order])
            np.put(self.tgt_measure, flat, measure[order])
            np.put(self.tgt_row, flat, order)
            flat_o = pid[orig] * n_years + year[orig]
            np.put(self.orig_val, flat_o, values[orig])
            np.put(self.orig_measure, flat_o, measure[orig])
        usable = np.where(self.tgt_status == T_SET, self.tgt_val, np.nan)
        self.year_target = usable  # the target of the year, where one is set
        self.earlier_target = _earlier_sum(usable, self.first_y)
        self.earlier_orig = _earlier_sum(self.orig_val, self.first_y)
        # the measure in force: the target version's own where given, else the indicator's
        self.measure_in_force = np.where(self.tgt_measure >= 0, self.tgt_measure, self.measure[:, None])
        self.orig_in_force = np.where(self.orig_measure >= 0, self.orig_measure, self.measure[:, None])
