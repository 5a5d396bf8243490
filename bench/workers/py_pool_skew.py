# Python's multiprocessing.Pool.map with automatic chunks over a skewed workload: each item is a busy time in ms
# (read as JSON from stdin); prints the map's wall time in seconds (pool start-up excluded).
import json, sys, time
from multiprocessing import Pool

def spin(ms):
    end = time.perf_counter() + ms / 1000.0
    while time.perf_counter() < end:
        pass
    return ms

if __name__ == '__main__':
    workers = int(sys.argv[1])
    items = json.load(sys.stdin)
    with Pool(workers) as p:
        p.map(spin, [0.01] * 1000)
        t = time.perf_counter()
        p.map(spin, items)
        dt = time.perf_counter() - t
    print(dt)
