#!/usr/bin/env python3
"""Synthetic, labelled home-monitoring ("virtual ward") dataset.

Written independently of OpenWard's simulator and alert rules: the author read only
OpenWard's device protocol (reading format, vital-sign catalogue, units, plausible ranges).
Trajectories are shaped on published literature; see README.md for the sources.

Usage:
    python3 generate.py --out DIR [--patients 60] [--days 7] [--seed 1]
                        [--start 2026-03-02T00:00:00Z]

Output (DIR):
    readings.ndjson  one reading per line: OpenWard device JSON + "patient" and "device";
                     lines are in *arrival* order (what a server would receive), which is
                     time order except for buffered (late) uploads and re-sent batches.
    labels.json      per patient: stable / profile / deteriorations (scenario, onset, event, subtle)
    settings.json    per-patient alert settings a clinician set (only some patients)
    manifest.json    generator parameters and, per patient, devices and confounder windows

Python 3.11, standard library only. Deterministic for a given seed and arguments.
"""

import argparse
import bisect
import json
import math
import os
import random
import sys
import time as _time
from datetime import datetime, timedelta, timezone

GENERATOR_VERSION = "1.0"
MIN = 60
HOUR = 3600
DAY = 86400

# Population limits used ONLY to compute the "subtle" label (see README): a deterioration is
# subtle when the modelled resting physiology stays inside these limits (or inside the patient's
# own chronically abnormal baseline) until close to the event.
POP_HR_HI = 120
POP_RR_HI = 24
POP_SPO2_LO = 92
POP_SPO2_LO_COPD = 88
POP_TEMP_HI = 38.0
POP_SBP_LO = 90
POP_GLU_LO = 70

# One "scenario kind" per deteriorating patient, cycled (20 for the default 60 patients):
# sepsis 7 (3 overt, 3 subtle, 1 afebrile elderly), heart failure 5, COPD 5, hypoglycaemia 3.
SCENARIO_CYCLE = [
    "sepsis_overt", "hf_overt", "copd_overt", "sepsis_subtle", "hypo_day",
    "hf_subtle", "copd_subtle", "sepsis_afebrile", "sepsis_overt", "hf_overt",
    "copd_overt", "hypo_night", "sepsis_subtle", "hf_subtle", "copd_subtle",
    "sepsis_overt", "hypo_day", "sepsis_subtle", "hf_overt", "copd_subtle",
]
SCENARIO_LABEL = {
    "sepsis_overt": "sepsis", "sepsis_subtle": "sepsis", "sepsis_afebrile": "sepsis",
    "hf_overt": "heart-failure", "hf_subtle": "heart-failure",
    "copd_overt": "copd-exacerbation", "copd_subtle": "copd-exacerbation",
    "hypo_day": "hypoglycaemia", "hypo_night": "hypoglycaemia",
}
STABLE_ARCH_CYCLE = [
    "copd_hypox", "af_fast", "bb_brady", "htn", "obese_osa", "hf",
    "diabetes_insulin", "plain", "copd_mild", "plain", "af_controlled", "diabetes_poor",
]
SEPSIS_ARCHES = ["plain", "htn", "diabetes_insulin", "copd_mild", "hf", "af_controlled",
                 "bb_brady", "obese_osa", "plain", "diabetes_poor"]
CONFOUNDER_CYCLE = [
    "exercise_day", "poor_contact_night", "off_wrist_day", "viral_cold", "anxiety",
    "hot_drink", "scale_partner", "cuff_high_repeat", "missed_beta_blocker", "viral_cold",
    "exercise_day", "poor_contact_night", "anxiety", "hot_drink", "off_wrist_day",
]
PLAIN_REASONS = [
    "step-down after community-acquired pneumonia", "post-operative (hip replacement) monitoring",
    "step-down after cellulitis treated with IV antibiotics", "frailty, recurrent falls",
    "post-discharge after urinary tract infection", "step-down after COVID-19 pneumonia",
]


# --------------------------------------------------------------------------------------------
# time helpers
# --------------------------------------------------------------------------------------------
class Clock:
    """Relative seconds (from --start) to ISO strings and local hour of day.

    The ward is assumed to be in UK winter time (local time = UTC), so circadian rhythms
    follow the UTC clock."""

    def __init__(self, start):
        self.epoch0 = int(start.timestamp())
        self._days = {}

    def iso(self, t):
        a = self.epoch0 + int(t)
        d, r = divmod(a, DAY)
        ds = self._days.get(d)
        if ds is None:
            ds = (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=d)).strftime("%Y-%m-%d")
            self._days[d] = ds
        h, r = divmod(r, HOUR)
        m, s = divmod(r, MIN)
        return f"{ds}T{h:02d}:{m:02d}:{s:02d}Z"

    def hod(self, t):
        return ((self.epoch0 + t) % DAY) / HOUR

    def local_midnight(self, d):
        """Relative time of local midnight of calendar day d (d=0: the day containing start)."""
        return (self.epoch0 // DAY + d) * DAY - self.epoch0


def in_intervals(starts, ends, t):
    """Index of the interval containing t in sorted, non-overlapping intervals, else -1."""
    i = bisect.bisect_right(starts, t) - 1
    if i >= 0 and t < ends[i]:
        return i
    return -1


def merge_intervals(iv):
    iv = sorted(iv)
    out = []
    for s, e, *rest in iv:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e] + list(rest))
    return out


def clamp(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


# --------------------------------------------------------------------------------------------
# patient
# --------------------------------------------------------------------------------------------
class Patient:
    def __init__(self, idx, scen_kind, arch, ctx, early=False):
        self.idx = idx
        self.pid = f"hw{idx + 1:03d}"
        self.ctx = ctx
        self.clock = ctx.clock
        self.rng = random.Random(f"home-ward/{ctx.seed}/{self.pid}")
        self.scen_kind = scen_kind
        self.arch = arch
        self.early = early
        self.wants_settings = False
        self.T = ctx.days * DAY
        self.cutoff = self.T  # readings stop here (admission after an event)
        self.confounders = []  # (kind, start, end, params)
        self.profile_notes = []
        self.settings = None
        self.zero_budget = 0
        self._conditions()
        self._baseline()
        self._devices()
        self._daily_schedule()
        self._scenario()

    # ---------------------------------------------------------------- who the patient is
    def _conditions(self):
        r = self.rng
        a = self.arch
        if self.scen_kind == "sepsis_afebrile":
            self.age = r.randint(82, 93)
        else:
            self.age = int(r.triangular(52, 93, 78))
        self.sex = r.choice("MF")
        c = set()
        base = {
            "copd_hypox": {"copd"}, "copd_mild": {"copd"}, "af_fast": {"af"},
            "af_controlled": {"af", "bb"}, "bb_brady": {"bb", "ihd"}, "htn": {"htn"},
            "obese_osa": {"obesity", "osa"}, "hf": {"hf"}, "diabetes_insulin": {"diabetes", "insulin"},
            "diabetes_poor": {"diabetes"}, "plain": set(),
        }[a]
        c |= base
        if a == "hf":
            if r.random() < 0.6:
                c.add("bb")
            if r.random() < 0.2:
                c.add("af")
        if "htn" not in c and r.random() < 0.25:
            c.add("htn")
        if "diabetes" not in c and r.random() < 0.12:
            c.add("diabetes")
        if "obesity" not in c and r.random() < 0.08:
            c.add("obesity")
        self.cond = c
        self.reason = r.choice(PLAIN_REASONS) if a == "plain" else None

    def _baseline(self):
        r = self.rng
        a, c, age = self.arch, self.cond, self.age
        # heart rate (awake, resting)
        self.hr_rest = r.uniform(62, 80)
        self.hr_sd = 1.5          # per-minute measurement scatter
        self.sleep_hr_drop = r.uniform(6, 11)
        self.act_gain = r.uniform(18, 30)   # HR rise per 100 steps/min
        if a == "af_fast":
            self.hr_rest, self.hr_sd = r.uniform(96, 110), r.uniform(8, 11)
        elif "af" in c:
            self.hr_rest, self.hr_sd = r.uniform(72, 88), r.uniform(7, 9)
        elif a == "bb_brady":
            self.hr_rest = r.uniform(50, 56)
            self.sleep_hr_drop = r.uniform(2, 4)
        elif "bb" in c:
            self.hr_rest = r.uniform(58, 70)
        if "copd" in c:
            self.hr_rest += r.uniform(6, 12)
        if "bb" in c:
            self.act_gain *= 0.55
        # respiration
        self.rr_base = r.uniform(13, 17)
        if a == "copd_hypox":
            self.rr_base = r.uniform(18, 21)
        elif "copd" in c:
            self.rr_base = r.uniform(16, 19)
        if "hf" in c or "obesity" in c:
            self.rr_base += 1
        # oxygen saturation
        self.spo2_base = r.uniform(95.5, 98) if age < 80 else r.uniform(94.5, 97)
        self.exdesat = r.uniform(0, 1)
        self.sleep_spo2_dip = r.uniform(0.3, 1.2)
        if a == "copd_hypox":
            self.spo2_base = r.uniform(88.6, 91.5)
        elif a == "copd_mild":
            self.spo2_base = r.uniform(92.6, 94.5)
        if "copd" in c:
            self.exdesat = r.uniform(2, 5)
            self.sleep_spo2_dip = r.uniform(1, 2.5)
        if "hf" in c and "copd" not in c:
            self.spo2_base = min(self.spo2_base, r.uniform(94, 96.5))
        if "obesity" in c and "copd" not in c:
            self.spo2_base = r.uniform(93.2, 95.5)
        # temperature (Obermeyer 2017: mean 36.6, -0.021 C per decade of age)
        self.temp_base = clamp(r.gauss(36.6, 0.18) - 0.021 * (age - 53) / 10, 36.0, 37.05)
        self.temp_amp = r.uniform(0.18, 0.32)
        # blood pressure
        self.sbp_base = r.gauss(132, 9)
        if "htn" in c:
            self.sbp_base = r.uniform(150, 175) if a == "htn" else r.uniform(138, 155)
        if "hf" in c:
            self.sbp_base = r.gauss(116, 9)
        self.dbp_base = 0.45 * self.sbp_base + r.uniform(14, 24)
        # weight
        self.weight_base = r.gauss(76 if self.sex == "F" else 84, 11)
        if "obesity" in c:
            self.weight_base = r.uniform(112, 150)
        self.weight_base = clamp(self.weight_base, 45, 160)
        # glucose (mg/dL)
        self.g_fast = r.uniform(85, 100)
        self.g_meal = r.uniform(20, 40)
        if "diabetes" in c:
            self.g_fast, self.g_meal = r.uniform(110, 160), r.uniform(50, 100)
            if a == "diabetes_poor":
                self.g_fast, self.g_meal = r.uniform(175, 215), r.uniform(80, 130)
        # activity: steps per day
        self.steps_target = r.uniform(1500, 6500) if age < 80 else r.uniform(600, 3500)
        if "copd" in c or "hf" in c:
            self.steps_target *= 0.7

    def _devices(self):
        r = self.rng
        c = self.cond
        u = r.random()
        if u < 0.15:
            self.wearable = None
        elif u < (0.45 if "copd" in c else 0.33):
            self.wearable = "oximeter"   # wrist-worn continuous oximeter with finger probe
        else:
            self.wearable = "watch"      # wrist PPG watch/band
        self.rr_period = None
        if self.wearable == "watch":
            u = r.random()
            self.rr_period = 60 if u < 0.45 else (300 if u < 0.87 else None)
        elif self.wearable == "oximeter":
            self.rr_period = 60 if r.random() < 0.45 else None
        spot_only = self.wearable is None
        self.has_cuff = ("htn" in c or "hf" in c or r.random() < 0.85)
        self.cuff_per_day = 2 if (("htn" in c or "hf" in c) and r.random() < 0.6) or r.random() < 0.2 else 1
        self.has_thermo = spot_only or r.random() < 0.85
        self.thermo_per_day = 2 if r.random() < 0.4 else 1
        self.has_scale = "hf" in c or ("obesity" in c and r.random() < 0.6) or r.random() < 0.3
        self.has_gluco = "diabetes" in c
        self.gluco_per_day = r.choice([3, 4]) if "insulin" in c else r.choice([2, 2, 3])
        self.has_spotoxi = spot_only or ("copd" in c and self.wearable is None)
        self.spotoxi_per_day = r.choice([2, 3])
        self.adherence = r.uniform(0.78, 0.97)
        self.dev_sec = r.randrange(60)            # wearable's second-of-minute
        self.spo2_bias = r.choice([-1, 0, 0, 0, 1])
        self.thermo_bias = r.uniform(-0.15, 0.1)
        self.wear_spo2_sd = 1.3 if self.wearable == "watch" else 0.8
        self.rr_meas_sd = 1.3 if self.wearable == "watch" else 1.0

    def devices(self):
        d = {}
        if self.wearable == "watch":
            d[f"{self.pid}-watch"] = "wrist PPG watch: heart-rate, spo2 1/min" + (
                f", respiratory-rate every {self.rr_period // 60} min" if self.rr_period else "") + ", step-count per 15 min"
        elif self.wearable == "oximeter":
            d[f"{self.pid}-oxi"] = "wrist-worn continuous oximeter (finger probe): heart-rate, spo2 1/min" + (
                ", respiratory-rate 1/min" if self.rr_period else "")
        if self.has_cuff:
            d[f"{self.pid}-cuff"] = f"BP cuff {self.cuff_per_day}x/day (also sends pulse as heart-rate)"
        if self.has_thermo:
            d[f"{self.pid}-thermo"] = f"thermometer {self.thermo_per_day}x/day"
        if self.has_scale:
            d[f"{self.pid}-scale"] = "scales, mornings"
        if self.has_gluco:
            d[f"{self.pid}-gluco"] = f"glucose meter {self.gluco_per_day}x/day"
        if self.has_spotoxi:
            d[f"{self.pid}-spotoxi"] = f"finger spot-check oximeter {self.spotoxi_per_day}x/day"
        return d

    # ---------------------------------------------------------------- day structure
    def _daily_schedule(self):
        r = self.rng
        clk = self.clock
        nd = self.ctx.days
        self.day_hr = {}
        self.day_rr = {}
        self.day_temp = {}
        self.day_sbp = {}
        self.day_w = {}
        w_walk = 0.0
        bed_mean = r.uniform(21.5, 23.5)
        wake_mean = r.uniform(6.0, 8.0)
        sleeps, bouts, meals, wakes = [], [], [], {}
        for d in range(-1, nd + 2):
            self.day_hr[d] = r.gauss(0, 2.0)
            self.day_rr[d] = r.gauss(0, 0.5)
            self.day_temp[d] = r.gauss(0, 0.08)
            self.day_sbp[d] = r.gauss(0, 4)
            w_walk += r.gauss(0, 0.12)
            self.day_w[d] = w_walk + r.gauss(0, 0.25)
            mid = clk.local_midnight(d)
            wake = mid + int((wake_mean + r.gauss(0, 0.45)) * HOUR)
            bed = mid + int((bed_mean + r.gauss(0, 0.5)) * HOUR)
            wakes[d] = wake
            sleeps.append([mid - DAY + int((bed_mean + r.gauss(0, 0.5)) * HOUR), wake])
            if self.age >= 70 and r.random() < 0.35:   # afternoon nap
                ns = mid + int(r.uniform(13.5, 16) * HOUR)
                sleeps.append([ns, ns + int(r.uniform(20, 60) * MIN)])
            # meals
            bf = wake + int(r.uniform(20, 60) * MIN)
            meals.append(bf)
            if r.random() < 0.9:
                meals.append(mid + int(r.uniform(12, 13.5) * HOUR))
            meals.append(mid + int(r.uniform(17.5, 19.3) * HOUR))
            # walking bouts to reach about the daily step target
            target = self.steps_target * r.uniform(0.6, 1.4)
            got = 0
            tries = 0
            while got < target * 0.85 and tries < 60:
                tries += 1
                dur = int(clamp(r.lognormvariate(math.log(6), 0.6), 2, 30))
                cad = r.uniform(55, 100)
                s = int(r.uniform(wake + 20 * MIN, bed - 30 * MIN))
                bouts.append([s, s + dur * MIN, cad])
                got += dur * cad
            # night-time toilet trips
            for _ in range(r.choice([0, 1, 1, 2])):
                s = int(r.uniform(mid + 1 * HOUR, mid + 5 * HOUR))
                bouts.append([s, s + r.randint(2, 4) * MIN, r.uniform(25, 45)])
        self.sleep_iv = merge_intervals([[s, e] for s, e in sleeps])
        self.sleep_s = [s for s, e in self.sleep_iv]
        self.sleep_e = [e for s, e in self.sleep_iv]
        self.bouts = merge_intervals(bouts)
        self.bout_s = [b[0] for b in self.bouts]
        self.bout_e = [b[1] for b in self.bouts]
        self.meals = sorted(meals)
        self.wakes = wakes

    def asleep(self, t):
        if in_intervals(self.bout_s, self.bout_e, t) >= 0:
            return False
        return in_intervals(self.sleep_s, self.sleep_e, t) >= 0

    def day_of(self, t):
        return int((self.clock.epoch0 + t) // DAY - self.clock.epoch0 // DAY)

    # ---------------------------------------------------------------- deterioration
    def _scenario(self):
        self.scen = None
        k = self.scen_kind
        if not k:
            return
        r = self.rng
        T = self.T
        S = {"kind": k, "surge": None, "k": 1.3, "exdesat_mult": 1.0, "glu_add": 0.0}
        zero = dict(hr=0.0, rr=0.0, spo2=0.0, temp=0.0, sbp=0.0, w=0.0, act=0.0, night=0.0)
        D = dict(zero)
        if k == "sepsis_overt":
            dur = r.uniform(10, 30) * HOUR
            D["hr"] = max(r.uniform(35, 50), 124 - self.hr_rest + r.uniform(0, 10))
            if "bb" in self.cond:
                D["hr"] = r.uniform(22, 32)    # beta-blockade blunts the tachycardia
            D["rr"] = r.uniform(26, 32) - self.rr_base
            D["temp"] = r.uniform(38.6, 39.6) - self.temp_base - self.temp_amp
            D["spo2"] = -r.uniform(3, 6)
            D["sbp"] = min(-15, r.uniform(88, 104) - self.sbp_base)
            D["act"], D["night"], S["k"] = 0.9, 0.5, 1.6
            S["glu_add"] = r.uniform(40, 90)
        elif k == "sepsis_subtle":
            dur = r.uniform(18, 48) * HOUR
            D["hr"] = r.uniform(15, 20)
            D["rr"] = r.uniform(4, 6)
            D["temp"] = max(0.5, r.uniform(37.5, 37.9) - self.temp_base - self.temp_amp)
            D["spo2"] = -r.uniform(1, 2)
            D["sbp"] = -r.uniform(8, 15)
            D["act"], D["night"], S["k"] = 0.6, 0.3, 1.2
            S["glu_add"] = r.uniform(20, 50)
            S["surge"] = (max(2 * HOUR, 0.1 * dur), dict(hr=r.uniform(10, 15), rr=r.uniform(4, 6),
                                                       temp=r.uniform(0.3, 0.6), spo2=-r.uniform(1, 3),
                                                       sbp=-r.uniform(10, 20)))
        elif k == "sepsis_afebrile":
            dur = r.uniform(18, 40) * HOUR
            D["hr"] = r.uniform(10, 16)
            D["rr"] = r.uniform(6, 9)
            D["temp"] = r.uniform(-0.4, 0.2)
            D["spo2"] = -r.uniform(2, 3)
            D["sbp"] = -r.uniform(15, 25)
            D["act"], D["night"], S["k"] = 0.8, 0.3, 1.3
            S["surge"] = (max(2 * HOUR, 0.1 * dur), dict(hr=r.uniform(6, 10), rr=r.uniform(3, 5),
                                                       spo2=-r.uniform(1, 2), sbp=-r.uniform(10, 18)))
        elif k == "hf_overt":
            dur = r.uniform(2.5, 4.5) * DAY
            D["w"] = r.uniform(2.5, 4.0)
            D["hr"] = r.uniform(10, 16)
            D["rr"] = max(5, r.uniform(24.5, 28) - self.rr_base)
            D["spo2"] = -r.uniform(3, 5)
            D["sbp"] = r.uniform(-5, 10)
            D["act"], D["night"], S["k"] = 0.6, 0.8, 1.5
        elif k == "hf_subtle":
            dur = r.uniform(2.5, 4.5) * DAY
            D["w"] = r.uniform(1.6, 2.3)
            D["hr"] = r.uniform(5, 9)
            D["rr"] = r.uniform(2, 3.5)
            D["spo2"] = -r.uniform(1, 2)
            D["act"], D["night"], S["k"] = 0.4, 0.5, 1.3
            S["surge"] = (max(3 * HOUR, 0.08 * dur), dict(hr=r.uniform(5, 10), rr=r.uniform(3, 5),
                                                        spo2=-r.uniform(1, 2)))
        elif k == "copd_overt":
            dur = r.uniform(1, 3) * DAY
            D["spo2"] = -r.uniform(3, 4.5)
            D["hr"] = r.uniform(10, 14)
            D["rr"] = r.uniform(4, 6)
            D["temp"] = r.uniform(0.2, 0.6)
            D["act"], D["night"], S["k"] = 0.7, 0.4, 1.3
            S["exdesat_mult"] = 1.6
        elif k == "copd_subtle":
            dur = r.uniform(1, 3) * DAY
            D["spo2"] = -r.uniform(2, 3)
            D["hr"] = r.uniform(7, 10)
            D["rr"] = r.uniform(3, 4)
            D["temp"] = r.uniform(0, 0.3)
            D["act"], D["night"], S["k"] = 0.5, 0.3, 1.2
            S["exdesat_mult"] = 1.3
            S["surge"] = (max(3 * HOUR, 0.08 * dur), dict(hr=r.uniform(4, 8), rr=r.uniform(2, 4),
                                                        spo2=-r.uniform(1, 1.5)))
        elif k == "hypo_day":
            dur = r.uniform(50, 110) * MIN
            S["nadir"] = r.uniform(36, 50)
            S["hypo_hr"] = r.uniform(10, 20)
            S["rebound"] = r.uniform(110, 170)
        elif k == "hypo_night":
            dur = None
            S["nadir"] = r.uniform(35, 48)
            S["hypo_hr"] = -r.uniform(3, 8)
            S["rebound"] = r.uniform(110, 170)
        # --- when: onset not in the first 2 days for most; a few early ones
        margin = 3 * HOUR
        if k == "hypo_day":
            days_ok = ([1] if self.early else list(range(2, self.ctx.days))) or [self.ctx.days - 1]
            for _ in range(50):
                d = r.choice(days_ok)
                onset = self.clock.local_midnight(d) + int(r.uniform(9.5, 16.5) * HOUR)
                if 0 < onset and onset + dur + margin < T:
                    break
            event = onset + dur
        elif k == "hypo_night":
            days_ok = ([1] if self.early else list(range(2, self.ctx.days))) or [self.ctx.days - 1]
            for _ in range(50):
                d = r.choice(days_ok)
                mid = self.clock.local_midnight(d)
                onset = mid + int(r.uniform(0.5, 3.0) * HOUR)
                event = max(self.wakes.get(d, mid + 7 * HOUR), onset + 3 * HOUR) + int(r.uniform(10, 50) * MIN)
                if 0 < onset and event + margin < T:
                    break
            dur = event - onset
        else:
            lo = (0.5 * DAY if self.early else 2 * DAY)
            hi = T - dur - margin
            if self.early:
                hi = min(hi, 2 * DAY)
            if hi < lo + HOUR:
                lo = max(0.25 * DAY, hi - 0.75 * DAY)
            if hi < lo + HOUR:   # very short datasets: shorten the trajectory
                lo = 0.25 * DAY
                dur = max(4 * HOUR, T - lo - margin - HOUR)
                hi = lo + HOUR
            onset = int(r.uniform(lo, hi))
            event = onset + int(dur)
        S.update(onset=int(onset), event=int(event), dur=int(event - onset), D=D)
        self.scen = S
        self.cutoff = min(T, S["event"] + int(r.uniform(0, 2) * HOUR))
        S["subtle"] = self._is_subtle()

    def scen_delta(self, t):
        """Deltas added to resting physiology: (hr, rr, spo2, temp, sbp, w, act, night)."""
        S = self.scen
        if S is None or t < S["onset"] or S["kind"].startswith("hypo"):
            return None
        p = (t - S["onset"]) / S["dur"]
        if p > 1:
            p = 1.0
        pe = p ** S["k"]
        D = S["D"]
        hr, rr, spo2, temp, sbp, w = pe * D["hr"], pe * D["rr"], pe * D["spo2"], pe * D["temp"], pe * D["sbp"], pe * D["w"]
        if S["kind"] == "sepsis_overt":
            # swinging fever with rigors
            temp *= 0.82 + 0.18 * math.sin(2 * math.pi * t / (7 * HOUR))
        if S["surge"]:
            sl, sd = S["surge"]
            s0 = S["event"] - sl
            if t > s0:
                q = min(1.0, (t - s0) / sl)
                hr += q * sd.get("hr", 0)
                rr += q * sd.get("rr", 0)
                spo2 += q * sd.get("spo2", 0)
                temp += q * sd.get("temp", 0)
                sbp += q * sd.get("sbp", 0)
        return hr, rr, spo2, temp, sbp, w, pe * D["act"], pe * D["night"]

    def _is_subtle(self):
        S = self.scen
        if S["kind"].startswith("hypo"):
            return False   # glucose falls below 70 mg/dL well before the event
        t_check = S["event"] - max(2 * HOUR, 0.15 * S["dur"])
        d = self.scen_delta(t_check)
        if d is None:
            return True
        dhr, drr, dspo2, dtemp, dsbp = d[:5]
        lim_spo2 = POP_SPO2_LO_COPD if "copd" in self.cond else POP_SPO2_LO
        crosses = []
        if self.hr_rest <= POP_HR_HI and self.hr_rest + dhr > POP_HR_HI:
            crosses.append("hr")
        if self.rr_base <= POP_RR_HI and self.rr_base + drr > POP_RR_HI:
            crosses.append("rr")
        if self.spo2_base >= lim_spo2 and self.spo2_base + dspo2 < lim_spo2:
            crosses.append("spo2")
        if self.temp_base + self.temp_amp + dtemp > POP_TEMP_HI:
            crosses.append("temp")
        if self.sbp_base + dsbp < POP_SBP_LO:
            crosses.append("sbp")
        return not crosses

    # ---------------------------------------------------------------- confounders
    def confounder_ok(self, kind):
        w = self.wearable
        if kind in ("poor_contact_night", "off_wrist_day", "anxiety", "exercise_day"):
            if w is None:
                return False
        if kind == "exercise_day" and (self.age > 82 or self.arch in ("copd_hypox", "hf") or "bb" in self.cond
                                       or "af" in self.cond):
            return False
        if kind == "off_wrist_day" and w != "watch":
            return False
        if kind == "hot_drink" and not self.has_thermo:
            return False
        if kind == "viral_cold" and not self.has_thermo and w is None:
            return False
        if kind == "scale_partner" and not self.has_scale:
            return False
        if kind == "cuff_high_repeat" and not self.has_cuff:
            return False
        if kind == "missed_beta_blocker" and "bb" not in self.cond:
            return False
        return True

    def _free_window(self, length, lo=0.3 * DAY, hi=None):
        """A random window [s, s+length) inside the data that avoids the deterioration."""
        r = self.rng
        hi = (hi if hi is not None else self.T) - length - HOUR
        for _ in range(80):
            if hi <= lo:
                return None
            s = int(r.uniform(lo, hi))
            e = s + length
            if self.scen and not (e < self.scen["onset"] - 12 * HOUR or s > self.cutoff):
                continue
            if any(not (e < cs - 2 * HOUR or s > ce + 2 * HOUR) for _, cs, ce, _ in self.confounders):
                continue
            return s
        return None

    def add_confounder(self, kind):
        r = self.rng
        clk = self.clock
        nd = self.ctx.days
        if kind == "exercise_day":
            for _ in range(30):
                d = r.randrange(nd)
                s = clk.local_midnight(d) + int(r.uniform(10, 16) * HOUR)
                ln = int(r.uniform(30, 60)) * MIN
                if self._free_window_ok(s, s + ln):
                    self.confounders.append((kind, s, s + ln, {"hr": r.uniform(120, 150), "cad": r.uniform(100, 120)}))
                    return "exercise session (cardiac/pulmonary rehab class or brisk walk), HR 120-150 for 30-60 min"
            return None
        if kind == "poor_contact_night":
            for _ in range(30):
                d = r.randrange(nd)
                s = clk.local_midnight(d) + int(r.uniform(22, 23.5) * HOUR)
                e = s + int(r.uniform(7, 9) * HOUR)
                if self._free_window_ok(s, e) and e < self.T:
                    self.confounders.append((kind, s, e, {}))
                    return "a night of poor sensor contact (many probe-off dips, gaps)"
            return None
        if kind == "off_wrist_day":
            for _ in range(30):
                d = r.randrange(nd)
                s = self.wakes.get(d, clk.local_midnight(d) + 7 * HOUR) + int(r.uniform(0, 60) * MIN)
                e = s + int(r.uniform(16, 26) * HOUR)
                if self._free_window_ok(s, e) and e < self.T:
                    self.confounders.append((kind, s, e, {}))
                    return "watch left off for about a day"
            return None
        if kind == "viral_cold":
            ln = int(r.uniform(2, 3.5) * DAY)
            s = self._free_window(ln)
            if s is None:
                return None
            peak = r.uniform(37.6, 37.9)
            dt = max(0.6, peak - self.temp_base - self.temp_amp)
            self.confounders.append((kind, s, s + ln, {"temp": dt, "hr": r.uniform(5, 8), "rr": r.uniform(1, 2)}))
            return f"short viral cold, low-grade temperature up to {peak:.1f} C, resolves"
        if kind == "anxiety":
            eps = []
            for _ in range(r.randint(2, 5)):
                for _ in range(30):
                    d = r.randrange(nd)
                    s = clk.local_midnight(d) + int(r.uniform(9, 21) * HOUR)
                    ln = r.randint(5, 20) * MIN
                    if self._free_window_ok(s, s + ln) and s + ln < self.T:
                        eps.append((s, ln))
                        break
            if not eps:
                return None
            for s, ln in eps:
                self.confounders.append((kind, s, s + ln, {"hr": r.uniform(110, 130), "rr": r.uniform(6, 10)}))
            return f"{len(eps)} anxiety/panic episodes (HR 110-130 for 5-20 min, fast breathing)"
        if kind == "hot_drink":
            s = self._free_window(HOUR)
            if s is None:
                return None
            self.confounders.append((kind, s, s + HOUR, {"dt": r.uniform(0.9, 1.5), "repeat": r.random() < 0.6}))
            return "thermometer used right after a hot drink once (one reading ~38 C)"
        if kind == "scale_partner":
            s = self._free_window(HOUR)
            if s is None:
                return None
            dw = r.choice([-1, 1]) * r.uniform(12, 30)
            self.confounders.append((kind, s, s + HOUR, {"dw": dw}))
            return "partner stepped on the scales once"
        if kind == "cuff_high_repeat":
            s = self._free_window(HOUR)
            if s is None:
                return None
            self.confounders.append((kind, s, s + HOUR, {"dsbp": r.uniform(25, 40)}))
            return "one high BP reading after rushing/coffee, repeated lower"
        if kind == "missed_beta_blocker":
            ln = int(r.uniform(0.8, 1.5) * DAY)
            s = self._free_window(ln)
            if s is None:
                return None
            self.confounders.append((kind, s, s + ln, {"hr": r.uniform(10, 16), "sbp": r.uniform(8, 14)}))
            return "missed beta-blocker doses for about a day (HR +10-16)"
        return None

    def _free_window_ok(self, s, e):
        if s < 0.2 * DAY or e > self.T - HOUR:
            return False
        if self.scen and not (e < self.scen["onset"] - 12 * HOUR or s > self.cutoff):
            return False
        return all(e < cs - 2 * HOUR or s > ce + 2 * HOUR for _, cs, ce, _ in self.confounders)

    def finalize(self):
        """After confounders are assigned: wear gaps, upload outages, spot measurements, settings."""
        self.confounders.sort(key=lambda c: c[1])
        self.conf_s = [c[1] for c in self.confounders]
        self._wear()
        self._spots()
        self._settings()

    def conf_active(self, t):
        """Active confounders at t (few per patient: linear scan)."""
        out = None
        for c in self.confounders:
            if c[1] <= t < c[2]:
                if out is None:
                    out = []
                out.append(c)
            elif c[1] > t:
                break
        return out

    # ---------------------------------------------------------------- wearing and uploading
    def _wear(self):
        r = self.rng
        clk = self.clock
        nd = self.ctx.days
        off = []
        self.zero_at = set()
        if self.wearable:
            for d in range(0, nd + 1):
                mid = clk.local_midnight(d)
                if self.wearable == "watch":
                    s = mid + int(r.uniform(8, 21) * HOUR)   # charging
                    off.append([s, s + int(r.uniform(40, 95) * MIN)])
                    if r.random() < 0.25:   # takes it off at night sometimes
                        s = mid + int(r.uniform(22, 23.5) * HOUR)
                        # ...but not while unwell (virtual-ward staff ask them to keep it on)
                        if not (self.scen and self.scen["onset"] - DAY < s < self.cutoff):
                            off.append([s, s + int(r.uniform(6, 9) * HOUR)])
                else:
                    w = self.wakes.get(d, mid + 7 * HOUR)
                    s = w + int(r.uniform(10, 60) * MIN)       # wash/shower
                    off.append([s, s + int(r.uniform(20, 45) * MIN)])
                    for _ in range(r.randint(1, 3)):            # probe off for a while
                        s = mid + int(r.uniform(8, 21) * HOUR)
                        off.append([s, s + int(r.uniform(5, 25) * MIN)])
                    if r.random() < 0.15:   # battery change
                        s = mid + int(r.uniform(8, 21) * HOUR)
                        off.append([s, s + int(r.uniform(10, 30) * MIN)])
                for _ in range(r.choice([0, 1, 1, 2, 3])):   # Bluetooth drop-outs: lost, not buffered
                    s = mid + int(r.uniform(0, 24) * HOUR)
                    off.append([s, s + int(r.uniform(3, 30) * MIN)])
            for kind, s, e, _ in self.confounders:
                if kind == "off_wrist_day":
                    off.append([s, e])
                if kind == "poor_contact_night":
                    x = s
                    while x < e:
                        x += int(r.uniform(20, 90) * MIN)
                        g = int(r.uniform(3, 30) * MIN)
                        off.append([x, x + g])
                        x += g
            # a device removed during an exercise class is realistic but we keep it on to show the HR
            off = [iv for iv in off if not any(k == "exercise_day" and iv[0] < ce and iv[1] > cs
                                               for k, cs, ce, _ in self.confounders)]
        self.off_iv = merge_intervals(off)
        self.off_s = [s for s, e in self.off_iv]
        self.off_e = [e for s, e in self.off_iv]
        # the "off-wrist zero": some devices send 0 once when taken off (handful, few patients)
        if self.zero_budget and self.off_iv:
            cand = [s for s, e in self.off_iv if 0 < s < self.cutoff and e - s >= 20 * MIN]
            r.shuffle(cand)
            for s in cand[: self.zero_budget]:
                self.zero_at.add(s - s % MIN)
        # upload outages (phone/hub out of range): readings buffered, uploaded late
        outs = []
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            s = int(r.uniform(0.2 * DAY, self.T - 0.2 * DAY))
            e = s + int(r.uniform(0.7, 7) * HOUR)
            outs.append([s, e, r.random() < 0.4, int(r.uniform(5, 20)) * MIN])
        self.outages = merge_intervals(outs)
        self.out_s = [o[0] for o in self.outages]
        self.out_e = [o[1] for o in self.outages]

    def arrival(self, t, kind):
        """When the server would receive a reading measured at t."""
        i = in_intervals(self.out_s, self.out_e, t)
        if i >= 0:
            return self.out_e[i] + self.rng.randint(10, 150)
        # Normal upload latency (seconds to a few minutes) is not modelled in the file order:
        # such readings are written in measurement-time order.
        return t

    def dup_of(self, t):
        """Arrival time of a re-sent copy if t falls in the re-sent tail before an outage's end."""
        j = bisect.bisect_right(self.out_e, t)
        if j < len(self.outages):
            s, e, dup, win = self.outages[j]
            if dup and e - win <= t < e:
                return e + 300 + self.rng.randint(0, 30)
        return None

    # ---------------------------------------------------------------- physiology
    def rest(self, t, asleep):
        """Resting physiology (no activity, no artefact): hr, rr, spo2, temp, sbp, dbp, weight, act_mult,
        plus scenario/confounder deltas."""
        d = self.day_of(t)
        hod = self.clock.hod(t)
        sd = self.scen_delta(t)
        night_flat = sd[7] if sd else 0.0
        hr = self.hr_rest + self.day_hr.get(d, 0.0)
        rr = self.rr_base + self.day_rr.get(d, 0.0)
        spo2 = self.spo2_base
        if asleep:
            f = 1 - 0.6 * night_flat
            hr -= self.sleep_hr_drop * f
            rr -= 1.5 * f
            spo2 -= self.sleep_spo2_dip
        temp = self.temp_base + self.temp_amp * math.cos(2 * math.pi * (hod - 18.5) / 24) + self.day_temp.get(d, 0.0)
        sbp = self.sbp_base + self.day_sbp.get(d, 0.0)
        if 6 <= hod < 10:
            sbp += 5
        if asleep:
            sbp -= 10
        act = 1.0
        w = self.weight_base + self.day_w.get(d, 0.0)
        if sd:
            hr += sd[0]
            rr += sd[1]
            spo2 += sd[2]
            temp += sd[3]
            sbp += sd[4]
            w += sd[5]
            act *= 1 - sd[6]
        S = self.scen
        if S and S["kind"].startswith("hypo") and t >= S["onset"]:
            g = self.glucose(t)
            if S["kind"] == "hypo_day":
                hr += S["hypo_hr"] * clamp((72 - g) / 25, 0, 1)
                sbp += 8 * clamp((72 - g) / 25, 0, 1)
            else:
                hr += S["hypo_hr"] * clamp((72 - g) / 25, 0, 1)
        cf = self.conf_active(t) if self.confounders else None
        if cf:
            for kind, cs, ce, p in cf:
                if kind == "viral_cold":
                    x = (t - cs) / (ce - cs)
                    f = clamp(min(x / 0.2, (1 - x) / 0.35, 1.0), 0, 1)
                    temp += f * p["temp"]
                    hr += f * p["hr"]
                    rr += f * p["rr"]
                    act *= 1 - 0.4 * f
                elif kind == "missed_beta_blocker":
                    hr += p["hr"]
                    sbp += p["sbp"]
        dbp = self.dbp_base + 0.45 * (sbp - self.sbp_base)
        return hr, rr, spo2, temp, sbp, dbp, w, act

    def glucose_base(self, t):
        g = self.g_fast
        hod = self.clock.hod(t)
        if 4 <= hod < 9:
            g += 12 * math.sin(math.pi * (hod - 4) / 5)    # dawn phenomenon
        i = bisect.bisect_right(self.meals, t)
        for m in self.meals[max(0, i - 4):i]:
            x = (t - m) / (50 * MIN)
            if x < 5:
                g += self.g_meal * x * math.exp(1 - x)
        S = self.scen
        if S and S.get("glu_add") and "diabetes" in self.cond and t >= S["onset"]:
            g += min(1.0, (t - S["onset"]) / S["dur"]) ** S["k"] * S["glu_add"]   # stress hyperglycaemia
        return g

    def glucose(self, t):
        S = self.scen
        if not S or not S["kind"].startswith("hypo") or t < S["onset"]:
            return self.glucose_base(t)
        g0 = self.glucose_base(S["onset"])
        if t > S["event"]:   # treated (oral/IV glucose or glucagon): rebound within ~20 min
            q = min(1.0, (t - S["event"]) / (20 * MIN))
            return S["nadir"] + q * (S["rebound"] - S["nadir"])
        if S["kind"] == "hypo_day":
            p = min(1.0, (t - S["onset"]) / S["dur"])
            return g0 + (S["nadir"] - g0) * (p ** 1.3)
        p = min(1.0, (t - S["onset"]) / (0.4 * S["dur"]))
        return g0 + (S["nadir"] - g0) * p

    # ---------------------------------------------------------------- spot measurements
    def _spots(self):
        r = self.rng
        clk = self.clock
        nd = self.ctx.days
        ev = []   # (t, kind, extra)
        adh = self.adherence
        for d in range(0, nd + 1):
            mid = clk.local_midnight(d)
            wake = self.wakes.get(d, mid + 7 * HOUR)
            if self.has_cuff:
                if r.random() < adh:
                    ev.append((wake + int(r.uniform(25, 100) * MIN), "cuff", None))
                if self.cuff_per_day == 2 and r.random() < adh * 0.95:
                    ev.append((mid + int(r.uniform(18.5, 21.8) * HOUR), "cuff", None))
            if self.has_thermo:
                if r.random() < adh:
                    ev.append((wake + int(r.uniform(20, 150) * MIN), "thermo", None))
                if self.thermo_per_day == 2 and r.random() < adh * 0.9:
                    ev.append((mid + int(r.uniform(17, 22) * HOUR), "thermo", None))
            if self.has_scale and r.random() < min(0.98, adh + 0.05):
                ev.append((wake + int(r.uniform(5, 45) * MIN), "scale", None))
            if self.has_gluco:
                slots = [wake + int(r.uniform(5, 30) * MIN)]                       # fasting
                slots.append(mid + int(r.uniform(11.5, 12.8) * HOUR))              # before lunch
                slots.append(mid + int(r.uniform(17, 18.5) * HOUR))                # before dinner
                slots.append(mid + int(r.uniform(21.3, 23) * HOUR))                # bedtime
                if self.gluco_per_day == 2:
                    slots = [slots[0], slots[2]]
                elif self.gluco_per_day == 3:
                    slots = [slots[0], slots[2], slots[3]]
                for s in slots:
                    if r.random() < adh:
                        ev.append((s, "gluco", None))
            if self.has_spotoxi:
                slots = [wake + int(r.uniform(30, 120) * MIN), mid + int(r.uniform(13, 16) * HOUR),
                         mid + int(r.uniform(19, 22) * HOUR)]
                if self.spotoxi_per_day == 2:
                    slots = [slots[0], slots[2]]
                for s in slots:
                    if r.random() < adh:
                        ev.append((s, "spotoxi", None))
        # symptom-driven extra checks while unwell
        S = self.scen
        if S and not S["kind"].startswith("hypo"):
            t = S["onset"]
            while t < self.cutoff:
                p = min(1.0, (t - S["onset"]) / S["dur"])
                chance = (0.05 if S["subtle"] else 0.12) * p
                if p > 0.3 and r.random() < chance:
                    tt = t + r.randint(0, 3000)
                    for kind, has in (("thermo", self.has_thermo), ("cuff", self.has_cuff),
                                      ("spotoxi", self.has_spotoxi)):
                        if has:
                            ev.append((tt, kind, "symptom"))
                            tt += r.randint(60, 240)
                t += HOUR
        if S and S["kind"] == "hypo_day" and self.has_gluco:
            # shaky/sweaty: checks when glucose is ~60-68, then again at the event
            g0 = self.glucose_base(S["onset"])
            g_sym = r.uniform(58, 68)
            frac = ((g0 - g_sym) / max(1.0, g0 - S["nadir"])) ** (1 / 1.3) if g0 > g_sym else 0.5
            t_sym = S["onset"] + int(S["dur"] * clamp(frac, 0.3, 0.92))
            ev.append((t_sym, "gluco", "symptom"))
            ev.append((S["event"] - r.randint(0, 300), "gluco", "symptom"))
        if S and S["kind"] == "hypo_night" and self.has_gluco:
            ev.append((S["event"] - r.randint(0, 600), "gluco", "symptom"))
        for kind, cs, ce, p in self.confounders:
            if kind == "viral_cold" and self.has_thermo:
                t = cs + 6 * HOUR
                while t < ce:
                    ev.append((t + r.randint(0, 2 * HOUR), "thermo", None))
                    t += int(r.uniform(6, 10) * HOUR)
            elif kind == "hot_drink":
                ev.append((cs + 5 * MIN, "thermo", "hot"))
                if p["repeat"]:
                    ev.append((cs + int(r.uniform(20, 40) * MIN), "thermo", None))
            elif kind == "scale_partner":
                ev.append((cs + 2 * MIN, "scale", "partner"))
                if r.random() < 0.7:
                    ev.append((cs + int(r.uniform(4, 15) * MIN), "scale", None))
            elif kind == "cuff_high_repeat":
                ev.append((cs + 3 * MIN, "cuff", "high"))
                ev.append((cs + int(r.uniform(6, 12) * MIN), "cuff", "repeat"))
        ev = [e for e in ev if 0 <= e[0] < self.cutoff]
        ev.sort(key=lambda e: e[0])
        self.spot_ev = ev
        self.spot_t = [e[0] for e in ev]

    # ---------------------------------------------------------------- settings and profile
    def _settings(self):
        r = self.rng
        c, a = self.cond, self.arch
        st = {}
        th = []
        if not self.wants_settings:
            self.settings = None
            return
        if a == "copd_hypox":
            st["spO2Scale"] = "scale2"
            low = r.choice([88, 88, 87])
            th.append({"measure": "spo2", "criticalLow": low - 4, "low": low, "hysteresis": 2})
        elif a == "copd_mild":
            th.append({"measure": "spo2", "criticalLow": 86, "low": 90, "hysteresis": 2})
        if a == "af_fast":
            th.append({"measure": "heart-rate", "high": 125, "criticalHigh": 140, "hysteresis": 5})
        if a == "bb_brady":
            th.append({"measure": "heart-rate", "criticalLow": 38, "low": 44, "hysteresis": 3})
        if a == "htn":
            th.append({"measure": "blood-pressure.systolic", "high": 180, "criticalHigh": 200, "hysteresis": 5})
        if "insulin" in c:
            th.append({"measure": "blood-glucose", "criticalLow": 54, "low": 72, "high": 300,
                       "criticalHigh": 400, "hysteresis": 5})
        if th:
            st["thresholds"] = th
        self.settings = st or None

    def profile(self):
        names = {"copd": "COPD", "af": "atrial fibrillation", "bb": "on beta-blocker", "ihd": "ischaemic heart disease",
                 "htn": "hypertension", "obesity": "obesity", "osa": "untreated sleep apnoea (night-time desaturations)",
                 "hf": "heart failure", "diabetes": "type 2 diabetes", "insulin": "on insulin"}
        order = ["hf", "copd", "af", "ihd", "bb", "htn", "diabetes", "insulin", "obesity", "osa"]
        parts = [f"{self.age}{self.sex}"]
        if self.reason:
            parts.append(self.reason)
        parts += [names[k] for k in order if k in self.cond]
        chronic = []
        if self.arch == "copd_hypox":
            chronic.append(f"SpO2 ~{self.spo2_base:.0f}% (target 88-92), desaturates on exertion")
        elif self.arch == "copd_mild":
            chronic.append(f"SpO2 ~{self.spo2_base:.0f}%")
        if self.arch == "af_fast":
            chronic.append(f"irregular HR ~{self.hr_rest:.0f}/min")
        if self.arch == "bb_brady":
            chronic.append(f"resting HR ~{self.hr_rest:.0f}/min, lower asleep")
        if self.arch == "htn":
            chronic.append(f"systolic ~{self.sbp_base:.0f} mmHg")
        if "obesity" in self.cond:
            chronic.append(f"weight ~{self.weight_base:.0f} kg")
        if self.arch == "diabetes_poor":
            chronic.append(f"poorly controlled glucose (fasting ~{self.g_fast:.0f} mg/dL)")
        s = ", ".join(parts)
        if chronic:
            s += "; chronic: " + ", ".join(chronic)
        devs = []
        if self.wearable == "watch":
            devs.append("watch" + ("" if self.rr_period else " (no RR)"))
        elif self.wearable == "oximeter":
            devs.append("continuous oximeter" + (" with RR" if self.rr_period else ""))
        else:
            devs.append("spot devices only")
        s += "; devices: " + devs[0]
        if self.settings:
            s += "; clinician-set alert limits"
        elif self.arch in ("copd_hypox", "af_fast", "bb_brady", "htn"):
            s += "; no individual alert limits set"
        if self.scen:
            S = self.scen
            desc = self.scenario_text()
            s += "; DETERIORATES: " + desc
        conf = [n for n in self.profile_notes]
        if conf:
            s += ("; not deteriorations: " if not self.scen else "; also (not deteriorations): ") + "; ".join(conf)
        elif not self.scen:
            s += "; stable"
        return s

    def scenario_text(self):
        """Plain-language description of this patient's trajectory, from its actual parameters."""
        S = self.scen
        k = S["kind"]
        clk = self.clock
        if k.startswith("hypo"):
            if k == "hypo_day":
                return (f"daytime hypoglycaemia (insulin, missed meal): glucose falls to ~{S['nadir']:.0f} mg/dL "
                        f"over {S['dur'] / MIN:.0f} min with HR +{S['hypo_hr']:.0f}/min; found confused, paramedics")
            return (f"nocturnal hypoglycaemia: glucose ~{S['nadir']:.0f} mg/dL from about {clk.iso(S['onset'])[11:16]}, "
                    f"slight bradycardia, found drowsy at {clk.iso(S['event'])[11:16]} (only the wearable sees the night)")
        d = self.scen_delta(S["event"])
        hr, rr, spo2, temp, sbp, w = d[:6]
        dur = S["dur"] / HOUR
        when = f"{dur:.0f} h" if dur < 48 else f"{dur / 24:.1f} days"
        if k.startswith("sepsis"):
            head = {"sepsis_overt": "sepsis", "sepsis_subtle": "gradual infection/sepsis",
                    "sepsis_afebrile": "afebrile sepsis (elderly)"}[k]
            peak = self.temp_base + self.temp_amp + temp
            txt = (f"{head} over {when}: resting HR +{hr:.0f}, RR +{rr:.0f}, evening temperature ~{peak:.1f} C, "
                   f"SpO2 {spo2:+.0f}, systolic {sbp:+.0f} at the event; activity falls")
        elif k.startswith("hf"):
            txt = (f"heart-failure decompensation over {when}: weight +{w:.1f} kg, resting HR +{hr:.0f}, "
                   f"RR +{rr:.0f} (less fall at night), SpO2 {spo2:+.0f}; activity falls")
        else:
            txt = (f"COPD exacerbation over {when}: SpO2 {spo2:+.0f} from own baseline, resting HR +{hr:.0f}, "
                   f"RR +{rr:.0f}, temperature +{temp:.1f} C; activity falls")
        if S["surge"]:
            txt += f"; steeper in the last {S['surge'][0] / HOUR:.0f} h"
        return txt

    def label(self):
        lab = {"stable": self.scen is None, "profile": self.profile()}
        if self.scen:
            S = self.scen
            lab["deteriorations"] = [{
                "scenario": SCENARIO_LABEL[S["kind"]],
                "onset": self.clock.iso(S["onset"]),
                "event": self.clock.iso(S["event"]),
                "subtle": bool(S["subtle"]),
            }]
        return lab

    # ---------------------------------------------------------------- emitting readings
    def line(self, dev, vital, t, value, unit):
        return (f'{{"patient":"{self.pid}","device":"{dev}","vital":"{vital}","time":"{self.clock.iso(t)}",'
                f'"value":{value},"unit":"{unit}"}}')

    def bp_line(self, dev, t, s, d):
        return (f'{{"patient":"{self.pid}","device":"{dev}","vital":"blood-pressure","time":"{self.clock.iso(t)}",'
                f'"components":{{"systolic":{s},"diastolic":{d}}},"unit":"mm[Hg]"}}')

    def emit_day(self, c0, c1, out):
        """Append (arrival, time, line) for readings measured in [c0, c1)."""
        if self.wearable:
            self._emit_wearable(c0, c1, out)
        i = bisect.bisect_left(self.spot_t, c0)
        j = bisect.bisect_left(self.spot_t, c1)
        for t, kind, extra in self.spot_ev[i:j]:
            self._emit_spot(t, kind, extra, out)

    def _push(self, out, t, line, kind):
        a = self.arrival(t, kind)
        out.append((a, t, line))
        da = self.dup_of(t)
        if da is not None:
            out.append((max(da, a + 1), t, line))

    def _emit_spot(self, t, kind, extra, out):
        r = self.rng
        asleep = False
        hr, rr, spo2, temp, sbp, dbp, w, act = self.rest(t, asleep)
        pid = self.pid
        if kind == "cuff":
            s = sbp + r.gauss(0, 6)
            dd = dbp + r.gauss(0, 4)
            if extra == "high":
                cf = [c for c in self.confounders if c[0] == "cuff_high_repeat"]
                s += cf[0][3]["dsbp"] if cf else 30
                dd += 10
            elif extra == "repeat":
                cf = [c for c in self.confounders if c[0] == "cuff_high_repeat"]
                s += (cf[0][3]["dsbp"] if cf else 30) * 0.35
                dd += 3
            pulse = hr + 3 + r.gauss(0, 8 if "af" in self.cond else 2.5)
            s, dd = int(round(clamp(s, 60, 260))), int(round(clamp(dd, 30, 150)))
            if dd >= s - 15:
                dd = s - 20
            self._push(out, t, self.bp_line(f"{pid}-cuff", t, s, dd), "spot")
            self._push(out, t, self.line(f"{pid}-cuff", "heart-rate", t, int(round(clamp(pulse, 30, 200))), "/min"), "spot")
            if extra is None and s > 165 and r.random() < 0.35:   # people repeat a high reading
                t2 = t + r.randint(120, 420)
                s2 = int(round(s - r.uniform(3, 12)))
                d2 = int(round(dd - r.uniform(1, 6)))
                self._push(out, t2, self.bp_line(f"{pid}-cuff", t2, s2, d2), "spot")
                self._push(out, t2, self.line(f"{pid}-cuff", "heart-rate", t2, int(round(clamp(pulse + r.gauss(0, 2), 30, 200))), "/min"), "spot")
        elif kind == "thermo":
            v = temp + self.thermo_bias + r.gauss(0, 0.12)
            if extra == "hot":
                cf = [c for c in self.confounders if c[0] == "hot_drink"]
                v = max(v + (cf[0][3]["dt"] if cf else 1.2), 37.9 + r.uniform(0, 0.5))
            elif any(c[0] == "viral_cold" and c[1] <= t < c[2] for c in self.confounders):
                v = min(v, 37.9)   # the cold stays low-grade
            self._push(out, t, self.line(f"{pid}-thermo", "body-temperature", t, f"{clamp(v, 34.0, 42.0):.1f}", "Cel"), "spot")
        elif kind == "scale":
            v = w + r.gauss(0, 0.15)
            if extra == "partner":
                cf = [c for c in self.confounders if c[0] == "scale_partner"]
                v += cf[0][3]["dw"] if cf else 20
            late = r.random() < 0.15
            line = self.line(f"{pid}-scale", "body-weight", t, f"{clamp(v, 30, 250):.1f}", "kg")
            if late:   # scales synced when the app was next opened
                out.append((t + int(r.uniform(0.5, 10) * HOUR), t, line))
            else:
                self._push(out, t, line, "spot")
        elif kind == "gluco":
            g = self.glucose(t)
            v = g * (1 + r.gauss(0, 0.04)) + r.gauss(0, 3)
            if v < 20:
                return   # meter shows "LO", sends nothing
            line = self.line(f"{pid}-gluco", "blood-glucose", t, int(round(min(v, 600))), "mg/dL")
            if r.random() < 0.15 and extra is None:
                out.append((t + int(r.uniform(0.5, 10) * HOUR), t, line))
            else:
                self._push(out, t, line, "spot")
        elif kind == "spotoxi":
            v = spo2 + self.spo2_bias + r.gauss(0, 0.8)
            if r.random() < 0.05:
                v -= r.uniform(2, 5)   # cold fingers
            self._push(out, t, self.line(f"{pid}-spotoxi", "spo2", t, int(round(clamp(v, 50, 100))), "%"), "spot")
            self._push(out, t, self.line(f"{pid}-spotoxi", "heart-rate", t,
                                         int(round(clamp(hr + 2 + r.gauss(0, 7 if "af" in self.cond else 2), 30, 220))), "/min"), "spot")

    def _emit_wearable(self, c0, c1, out):
        r = self.rng
        gauss = r.gauss
        rnd = r.random
        pid = self.pid
        watch = self.wearable == "watch"
        dev = f"{pid}-watch" if watch else f"{pid}-oxi"
        akind = "watch" if watch else "oxi"
        st = getattr(self, "_ws", None)
        if st is None:
            st = self._ws = {"act": 0.0, "ar_hr": 0.0, "ar_rr": 0.0, "ar_s": 0.0, "spike": 0, "spike_v": 0,
                             "dip": 0, "steps": 0, "worn_q": False, "rr_acc": 0.0, "rr_n": 0, "brady": 0}
        S = self.scen
        copd = "copd" in self.cond
        osa = "osa" in self.cond
        hypo_day = S is not None and S["kind"] == "hypo_day"
        exdesat = self.exdesat
        sec = self.dev_sec
        t0 = c0 - c0 % MIN
        for tm in range(t0, c1, MIN):
            t = tm + sec
            if t < c0:
                continue
            if t >= self.cutoff:
                break
            worn = in_intervals(self.off_s, self.off_e, t) < 0
            # activity
            bi = in_intervals(self.bout_s, self.bout_e, t)
            asleep = bi < 0 and in_intervals(self.sleep_s, self.sleep_e, t) >= 0
            cad = self.bouts[bi][2] if bi >= 0 else 0.0
            if not asleep and bi < 0 and rnd() < 0.12:
                cad = r.uniform(5, 30)   # pottering about
            hr, rr, spo2, temp, sbp, dbp, w, actm = self.rest(t, asleep)
            cad *= actm
            target = cad / 100.0 * self.act_gain
            conf = self.conf_active(t) if self.confounders else None
            anxious = False
            poor = False
            if conf:
                for kind, cs, ce, p in conf:
                    if kind == "exercise_day":
                        cad = p["cad"] * r.uniform(0.9, 1.05)
                        target = max(target, p["hr"] - hr + gauss(0, 3))
                        rr += 8
                        spo2 -= 1
                        asleep = False
                    elif kind == "anxiety":
                        anxious = True
                        target = max(target, p["hr"] - hr)
                        rr += p["rr"]
                        spo2 += 0.8
                        cad = 0.0
                    elif kind == "poor_contact_night":
                        poor = True
            a = st["act"]
            a += (target - a) * (0.5 if target > a else 0.22)
            st["act"] = a
            st["ar_hr"] = 0.95 * st["ar_hr"] + gauss(0, 0.7)
            st["ar_rr"] = 0.9 * st["ar_rr"] + gauss(0, 0.35)
            st["ar_s"] = 0.9 * st["ar_s"] + gauss(0, 0.3)
            hr_true = hr + a + st["ar_hr"]
            rr_true = rr + 0.12 * a + st["ar_rr"]
            walk = clamp(cad / 100.0, 0, 1.2)
            ex = exdesat * (S["exdesat_mult"] if (S and t >= S["onset"] and "exdesat_mult" in S) else 1.0)
            spo2_true = spo2 - walk * ex + st["ar_s"]
            if osa and asleep and rnd() < 0.2:
                spo2_true -= r.uniform(3, 8)
                hr_true += r.uniform(3, 8)
            if S and S["kind"] == "hypo_night" and t >= S["onset"] and asleep and rnd() < 0.04:
                hr_true -= r.uniform(10, 18)   # nocturnal hypoglycaemia: bradycardic minutes
            # steps (watch only), per 15 minutes, emitted at the end of the interval
            if worn:
                st["steps"] += int(cad * r.uniform(0.85, 1.1)) if cad > 0 else 0
                st["worn_q"] = True
            if watch and (tm + MIN) % 900 == 0:
                tq = tm + MIN
                if st["worn_q"] and tq <= self.cutoff:
                    self._push(out, tq, self.line(dev, "step-count", tq, st["steps"], "{steps}"), akind)
                st["steps"] = 0
                st["worn_q"] = False
            if tm in self.zero_at:
                # device being taken off: one reading of 0 before it stops (OpenWard should refuse it)
                self._push(out, t, self.line(dev, "heart-rate", t, 0, "/min"), akind)
                if self.idx % 2 == 0:
                    self._push(out, t, self.line(dev, "spo2", t, 0, "%"), akind)
                continue
            if not worn:
                st["rr_acc"], st["rr_n"] = 0.0, 0
                continue
            if rnd() < 0.01:
                continue   # a sample lost
            # heart rate with artefacts
            p_spike = (0.05 if watch else 0.08) * walk + 0.0015
            if hypo_day and t >= S["onset"]:
                p_spike += 0.01   # tremor and sweating
            if poor:
                p_spike += 0.02
            if st["spike"] == 0 and rnd() < p_spike:
                st["spike"] = r.randint(1, 3)
                st["spike_v"] = r.uniform(30, 70)
            hr_meas = hr_true + gauss(0, self.hr_sd)
            if st["spike"] > 0:
                st["spike"] -= 1
                hr_meas = min(195, hr_true + st["spike_v"] + gauss(0, 5))
            elif rnd() < 0.0008:
                hr_meas = hr_true * 0.5   # half-rate lock
            # SpO2 with probe-off / poor perfusion dips
            p_dip = 0.0015 * (2.0 if asleep else 1.0) * (1.6 if not watch else 1.0) + (0.06 if poor else 0.0)
            if st["dip"] == 0 and rnd() < p_dip:
                st["dip"] = r.randint(1, 3)
            s_meas = spo2_true + self.spo2_bias + gauss(0, self.wear_spo2_sd)
            dip = False
            if st["dip"] > 0:
                st["dip"] -= 1
                s_meas = r.uniform(70, 85)
                dip = True
            hr_i = int(round(clamp(hr_meas, 25, 230)))
            s_i = int(round(clamp(s_meas, 50, 100)))
            hr_ok = not (dip and rnd() < 0.5)
            spo2_ok = not (watch and cad > 40 and rnd() < 0.6)   # wrist SpO2 drops out when moving
            if hr_ok:
                self._push(out, t, self.line(dev, "heart-rate", t, hr_i, "/min"), akind)
            if spo2_ok:
                self._push(out, t, self.line(dev, "spo2", t, s_i, "%"), akind)
            # respiratory rate
            if self.rr_period:
                st["rr_acc"] += rr_true
                st["rr_n"] += 1
                if (tm // MIN) % (self.rr_period // MIN) == 0 and st["rr_n"]:
                    v = st["rr_acc"] / st["rr_n"] + gauss(0, self.rr_meas_sd)
                    if walk > 0.4 and rnd() < 0.5:
                        st["rr_acc"], st["rr_n"] = 0.0, 0
                        continue   # no RR estimate while walking
                    if poor and rnd() < 0.3:
                        v += r.uniform(-6, 8)
                    self._push(out, t, self.line(dev, "respiratory-rate", t, int(round(clamp(v, 5, 50))), "/min"), akind)
                    st["rr_acc"], st["rr_n"] = 0.0, 0


# --------------------------------------------------------------------------------------------
# ward
# --------------------------------------------------------------------------------------------
class Ctx:
    pass


def build_ward(ctx):
    rng = random.Random(f"home-ward/{ctx.seed}/roster")
    n = ctx.patients
    n_det = round(n / 3)
    kinds = [SCENARIO_CYCLE[i % len(SCENARIO_CYCLE)] for i in range(n_det)] + [None] * (n - n_det)
    rng.shuffle(kinds)
    patients = []
    stable_i = 0
    # a few deteriorations start early (before the 2-day history a personal-normal model wants)
    det_idx = [i for i, k in enumerate(kinds) if k and not k.startswith("hf")]
    early = set(det_idx[: max(1, n_det // 8)]) if det_idx else set()
    for i, k in enumerate(kinds):
        if k is None:
            arch = STABLE_ARCH_CYCLE[stable_i % len(STABLE_ARCH_CYCLE)]
            stable_i += 1
        elif k.startswith("hf"):
            arch = "hf"
        elif k == "copd_overt":
            arch = "copd_hypox"
        elif k == "copd_subtle":
            arch = rng.choice(["copd_hypox", "copd_mild"])
        elif k.startswith("hypo"):
            arch = "diabetes_insulin"
        else:
            arch = rng.choice(SEPSIS_ARCHES)
        patients.append(Patient(i, k, arch, ctx, early=i in early))
    # individual alert settings: clinicians set them for some chronically abnormal patients only
    share = {"copd_hypox": 0.6, "copd_mild": 0.25, "af_fast": 0.5, "bb_brady": 0.5, "htn": 0.4,
             "diabetes_insulin": 0.4}
    for a, f in share.items():
        grp = [p for p in patients if p.arch == a]
        rng.shuffle(grp)
        for p in grp[: int(round(f * len(grp)))]:
            p.wants_settings = True
    # a few devices send a 0 when taken off (a handful of readings in total)
    wear = [p for p in patients if p.wearable]
    rng.shuffle(wear)
    for p in wear[: max(1, min(3, n // 20))]:
        p.zero_budget = rng.randint(1, 3)
    # confounders: stable patients get 0-2 (cycled so every kind appears), some deteriorating ones 1
    queue = list(CONFOUNDER_CYCLE)
    qi = 0
    order = list(patients)
    rng.shuffle(order)
    for p in order:
        want = (rng.choice([0, 1, 1, 1, 2, 2]) if p.scen is None else (1 if rng.random() < 0.3 else 0))
        tried = 0
        while want > 0 and tried < len(queue):
            kind = queue[qi % len(queue)]
            qi += 1
            tried += 1
            if any(c[0] == kind for c in p.confounders) or not p.confounder_ok(kind):
                continue
            note = p.add_confounder(kind)
            if note:
                p.profile_notes.append(note)
                want -= 1
    # inherent, chronic confounders worth naming in the profile
    for p in patients:
        if "osa" in p.cond and p.wearable:
            p.profile_notes.append("night-time desaturation clusters from sleep apnoea")
        if p.arch == "copd_hypox" and p.wearable:
            p.profile_notes.append("exertional desaturation when walking")
        p.finalize()
    return patients


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a labelled synthetic home-monitoring ward dataset.")
    ap.add_argument("--out", required=True)
    ap.add_argument("--patients", type=int, default=60)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2026-03-02T00:00:00Z")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.patients < 1 or args.days < 1:
        ap.error("--patients and --days must be at least 1")
    s = args.start.replace("Z", "+00:00")
    start = datetime.fromisoformat(s)
    if start.tzinfo is None:
        ap.error("--start needs a UTC offset, e.g. 2026-03-02T00:00:00Z")
    start = start.astimezone(timezone.utc)
    t_begin = _time.time()
    ctx = Ctx()
    ctx.seed, ctx.days, ctx.patients = args.seed, args.days, args.patients
    ctx.clock = Clock(start)
    patients = build_ward(ctx)
    os.makedirs(args.out, exist_ok=True)
    T = args.days * DAY
    n_lines = 0
    pending = []
    path = os.path.join(args.out, "readings.ndjson")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k in range(args.days):
            c0, c1 = k * DAY, (k + 1) * DAY
            for p in patients:
                p.emit_day(c0, c1, pending)
            pending.sort()
            cut = bisect.bisect_left(pending, (c1,)) if k < args.days - 1 else len(pending)
            f.write("".join(x[2] + "\n" for x in pending[:cut]))
            n_lines += cut
            pending = pending[cut:]
            if not args.quiet:
                print(f"day {k + 1}/{args.days}: {n_lines} lines", file=sys.stderr)
        if pending:
            pending.sort()
            f.write("".join(x[2] + "\n" for x in pending))
            n_lines += len(pending)
    labels = {p.pid: p.label() for p in patients}
    with open(os.path.join(args.out, "labels.json"), "w", encoding="utf-8") as f:
        json.dump(labels, f, indent=1)
        f.write("\n")
    settings = {p.pid: p.settings for p in patients if p.settings}
    with open(os.path.join(args.out, "settings.json"), "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=1)
        f.write("\n")
    manifest = {
        "generator": "home-ward generate.py", "version": GENERATOR_VERSION,
        "args": {"patients": args.patients, "days": args.days, "seed": args.seed,
                 "start": start.strftime("%Y-%m-%dT%H:%M:%SZ")},
        "readings": n_lines,
        "note": "readings.ndjson is in arrival order; see README.md",
        "patients": {
            p.pid: {
                "archetype": p.arch,
                "age": p.age, "sex": p.sex,
                "devices": p.devices(),
                "readings_stop": ctx.clock.iso(p.cutoff) if p.cutoff < T else None,
                "confounders": [{"kind": k, "start": ctx.clock.iso(s), "end": ctx.clock.iso(e)}
                                for k, s, e, _ in p.confounders],
                "upload_outages": [{"start": ctx.clock.iso(o[0]), "end": ctx.clock.iso(o[1]), "resent_tail": bool(o[2])}
                                   for o in p.outages],
            } for p in patients
        },
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    if not args.quiet:
        n_det = sum(1 for p in patients if p.scen)
        print(f"wrote {n_lines} readings for {len(patients)} patients ({n_det} deteriorating) "
              f"to {args.out} in {_time.time() - t_begin:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
