#!/usr/bin/env python3
"""Writes the VROOM corpus of this folder (see README.md): VROOM's documented examples
with their coordinates replaced by matrices, and small problems exercising one VROOM
feature each. Deterministic: the same files at every run. Matrices are straight lines
(great circle x 1.3 at 50 km/h, tournee's straight-line defaults), so that neither VROOM
nor tournee needs a routing server.

    python3 data/vroom/corpus/make.py
"""

import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DETOUR = 1.3
SPEED_MPS = 50 / 3.6
DAY = 1600416000  # VROOM's examples' morning (2020-09-18 08:00 UTC)


def metres(a, b):
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h)) * DETOUR


def matrices(points, speed=SPEED_MPS):
    distances = [[round(metres(a, b)) for b in points] for a in points]
    durations = [[round(d / speed) for d in row] for row in distances]
    return {"durations": durations, "distances": distances}


class Places:
    """Coordinates → matrix indices, in order of first use."""

    def __init__(self):
        self.points = []

    def index(self, point):
        point = tuple(point)
        if point not in self.points:
            self.points.append(point)
        return self.points.index(point)


def with_matrices(document):
    """VROOM input with coordinates → the same with `location_index` and `matrices`."""
    places = Places()
    for vehicle in document.get("vehicles", []):
        for key in ("start", "end"):
            if key in vehicle:
                vehicle[key + "_index"] = places.index(vehicle.pop(key))
    tasks = list(document.get("jobs", []))
    for shipment in document.get("shipments", []):
        tasks += [shipment["pickup"], shipment["delivery"]]
    for task in tasks:
        task["location_index"] = places.index(task.pop("location"))
    document["matrices"] = {"car": matrices(places.points)}
    return document


def points(seed, count, centre=(9.52, 47.14), spread=0.12):
    rng = random.Random(seed)
    return [
        (round(centre[0] + rng.uniform(-spread, spread), 5),
         round(centre[1] + rng.uniform(-spread, spread), 5))
        for _ in range(count)
    ]


# VROOM's docs/example_1.json (a routing engine example), with matrices.
EXAMPLE_1 = {
    "vehicles": [
        {"id": 1, "start": [2.35044, 48.71764], "end": [2.35044, 48.71764],
         "capacity": [4], "skills": [1, 14], "time_window": [1600416000, 1600430400]},
        {"id": 2, "start": [2.35044, 48.71764], "end": [2.35044, 48.71764],
         "capacity": [4], "skills": [2, 14], "time_window": [1600416000, 1600430400],
         "breaks": [{"id": 2, "service": 300, "time_windows": [[1600423200, 1600425000]]}]},
    ],
    "jobs": [
        {"id": 1, "service": 300, "delivery": [1], "location": [1.98935, 48.701],
         "skills": [1], "time_windows": [[1600419600, 1600423200]]},
        {"id": 2, "service": 300, "pickup": [1], "location": [2.03655, 48.61128], "skills": [1]},
        {"id": 5, "service": 300, "delivery": [1], "location": [2.28325, 48.5958], "skills": [14]},
        {"id": 6, "service": 300, "delivery": [1], "location": [2.89357, 48.90736], "skills": [14]},
    ],
    "shipments": [
        {"amount": [1], "skills": [2],
         "pickup": {"id": 4, "service": 300, "location": [2.41808, 49.22619]},
         "delivery": {"id": 3, "service": 300, "location": [2.39719, 49.07611]}},
    ],
}

# VROOM's docs/example_2.json (custom matrices), as published.
EXAMPLE_2 = {
    "vehicles": [{"id": 0, "start_index": 0, "end_index": 3}],
    "jobs": [{"id": 1414, "location_index": 1}, {"id": 1515, "location_index": 2}],
    "matrices": {"car": {"durations": [
        [0, 2104, 197, 1299], [2103, 0, 2255, 3152],
        [197, 2256, 0, 1102], [1299, 3153, 1102, 0]]}},
}

# VROOM's docs/example_3.json (a plan-mode example) without its vehicles' `steps`,
# which tournee does not take yet: solved, with matrices.
EXAMPLE_3 = {
    "vehicles": [
        {"id": 1, "start": [2.35044, 48.71764], "end": [2.35044, 48.71764],
         "capacity": [4], "time_window": [1600416000, 1600426800]},
        {"id": 2, "start": [2.35044, 48.71764], "end": [2.35044, 48.71764],
         "capacity": [4], "time_window": [1600416000, 1600426800]},
    ],
    "jobs": [
        {"id": 1, "delivery": [2], "service": 300, "location": [1.98935, 48.701]},
        {"id": 2, "delivery": [2], "service": 300, "location": [2.03655, 48.61128]},
        {"id": 3, "delivery": [1], "service": 300, "location": [2.39719, 49.07611],
         "time_windows": [[1600416000, 1600423200]]},
        {"id": 4, "delivery": [1], "service": 300, "location": [2.41808, 49.22619],
         "time_windows": [[1600416000, 1600423200]]},
        {"id": 5, "delivery": [3], "service": 300, "location": [2.28325, 48.5958]},
        {"id": 6, "delivery": [1], "service": 300, "location": [2.89357, 48.90736],
         "time_windows": [[1600416000, 1600423200]]},
    ],
}


def depot_and_tasks(seed, count):
    """Matrix indices 0 (the depot) .. count, and the matrices between them."""
    places = points(seed, count + 1)
    return list(range(1, count + 1)), {"car": matrices(places)}


def shipments():
    tasks, m = depot_and_tasks(1, 16)
    pairs = [tasks[i:i + 2] for i in range(0, 16, 2)]
    return {
        "vehicles": [{"id": v, "start_index": 0, "end_index": 0, "capacity": [4],
                      "description": f"van {v}"} for v in (1, 2)],
        "shipments": [
            {"amount": [1 + i % 3], "pickup": {"id": 2 * i + 1, "location_index": p,
                                              "service": 300, "description": f"farm {i}"},
             "delivery": {"id": 2 * i + 2, "location_index": d, "service": 120}}
            for i, (p, d) in enumerate(pairs)
        ],
        "matrices": m,
    }


def breaks():
    tasks, m = depot_and_tasks(2, 12)
    return {
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [20],
             "time_window": [DAY, DAY + 8 * 3600],
             "breaks": [{"id": 10, "service": 2700, "description": "lunch",
                         "time_windows": [[DAY + 3 * 3600, DAY + 5 * 3600]]}]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [20],
             "time_window": [DAY, DAY + 8 * 3600],
             "breaks": [{"id": 20, "service": 1800, "max_load": [5],
                         "time_windows": [[DAY + 2 * 3600, DAY + 6 * 3600]]}]},
        ],
        "jobs": [{"id": t, "location_index": t, "service": 900, "delivery": [2],
                  "description": f"shop {t}"} for t in tasks],
        "matrices": m,
    }


def skills_priorities():
    tasks, m = depot_and_tasks(3, 14)
    return {
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [6], "skills": [1]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [6], "skills": [1, 2]},
        ],
        "jobs": [{"id": t, "location_index": t, "service": 300, "delivery": [1],
                  "skills": [1 + (t % 3 == 0)], "priority": (t * 37) % 101}
                 for t in tasks],
        "matrices": m,
    }


def time_windows():
    tasks, m = depot_and_tasks(4, 15)
    jobs = []
    for t in tasks:
        start = DAY + (t % 5) * 1800
        windows = [[start, start + 1800]]
        if t % 2:
            windows.append([start + 7200, start + 9000])
        jobs.append({"id": t, "location_index": t, "service": 240, "setup": 60,
                     "time_windows": windows})
    return {
        "vehicles": [{"id": v, "start_index": 0, "end_index": 0,
                      "time_window": [DAY - 1800, DAY + 6 * 3600]} for v in (1, 2, 3)],
        "jobs": jobs,
        "matrices": m,
    }


def capacities():
    tasks, m = depot_and_tasks(5, 16)
    jobs = [{"id": t, "location_index": t, "service": 180,
             "delivery": [t % 4, (t * 3) % 5], "pickup": [(t + 1) % 3, 0]} for t in tasks]
    return {
        "vehicles": [{"id": v, "start_index": 0, "end_index": 0, "capacity": [12, 14]}
                     for v in (1, 2, 3)],
        "jobs": jobs,
        "matrices": m,
    }


def cost_matrix():
    tasks, m = depot_and_tasks(6, 14)
    size = len(tasks) + 1
    # Tolls: legs into the even half of the places cost triple their driving time.
    m["car"]["costs"] = [
        [d * (3 if j % 2 == 0 and j else 1) // 60 for j, d in enumerate(row)]
        for row in m["car"]["durations"]
    ]
    assert len(m["car"]["costs"]) == size
    return {
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [8],
             "costs": {"fixed": 50}},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [8],
             "costs": {"fixed": 80, "per_km": 2}},
        ],
        "jobs": [{"id": t, "location_index": t, "service": 300, "delivery": [1]}
                 for t in tasks],
        "matrices": m,
    }


def profiles():
    places = points(7, 13)
    car = matrices(places)
    bike = matrices(places, speed=18 / 3.6)
    bike["costs"] = [[round(d / 100) for d in row] for row in bike["distances"]]
    return {
        "vehicles": [
            {"id": 1, "profile": "car", "start_index": 0, "end_index": 0, "capacity": [10],
             "costs": {"fixed": 300}},
            {"id": 2, "profile": "bike", "start_index": 0, "end_index": 0, "capacity": [3]},
            {"id": 3, "profile": "car", "start_index": 0, "capacity": [10],
             "costs": {"per_hour": 1800, "per_km": 1}},
        ],
        "jobs": [{"id": t, "location_index": t, "service": 200, "delivery": [1]}
                 for t in range(1, 13)],
        "matrices": {"car": car, "bike": bike},
    }


def max_tasks():
    tasks, m = depot_and_tasks(8, 12)
    return {
        "vehicles": [{"id": v, "start_index": 0, "end_index": 0, "max_tasks": 4}
                     for v in (1, 2, 3, 4)],
        "jobs": [{"id": t, "location_index": t, "service": 120} for t in tasks],
        "shipments": [{"pickup": {"id": 101, "location_index": 1},
                       "delivery": {"id": 102, "location_index": 5}}],
        "matrices": m,
    }


def open_routes():
    tasks, m = depot_and_tasks(9, 14)
    return {
        "vehicles": [
            {"id": 1, "start_index": 0, "capacity": [7], "description": "open end"},
            {"id": 2, "end_index": 0, "capacity": [7], "description": "open start"},
        ],
        "jobs": [{"id": t, "location_index": t, "service": 150, "pickup": [1]}
                 for t in tasks[:7]]
        + [{"id": t, "location_index": t, "service": 150, "delivery": [1]}
           for t in tasks[7:]],
        "matrices": m,
    }


def vehicle_costs():
    tasks, m = depot_and_tasks(10, 12)
    return {
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [6],
             "costs": {"fixed": 1000, "per_hour": 3600, "per_km": 2, "per_task_hour": 600}},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [6],
             "costs": {"per_hour": 7200}},
        ],
        "jobs": [{"id": t, "location_index": t, "service": 300, "delivery": [1]}
                 for t in tasks],
        "matrices": m,
    }


def main():
    corpus = {
        "example_1": with_matrices(EXAMPLE_1),
        "example_2": EXAMPLE_2,
        "example_3": with_matrices(EXAMPLE_3),
        "shipments": shipments(),
        "breaks": breaks(),
        "skills_priorities": skills_priorities(),
        "time_windows": time_windows(),
        "capacities": capacities(),
        "cost_matrix": cost_matrix(),
        "profiles": profiles(),
        "max_tasks": max_tasks(),
        "open_routes": open_routes(),
        "vehicle_costs": vehicle_costs(),
    }
    for name, document in corpus.items():
        text = json.dumps(document, separators=(",", ":"))
        (HERE / f"{name}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
