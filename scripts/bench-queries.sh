#!/usr/bin/env bash
# Query mix shared by scripts/bench-index.sh and scripts/load.sh (sourced).
# ~30 queries of every class, Russian and English, written for the benchmarks:
# code lookups, 1–3 word symptoms, pasted 10–25 word descriptions, typos.

BENCH_QUERIES=(
    # code lookups
    "0x80070005"
    "0x80070002"
    "0x80004005"
    "0x800f0922"
    "AADSTS50058"
    "AADSTS700016"
    "ID: 34513"
    "Ошибка 34506"
    "ERROR_ACCESS_DENIED"
    "AllocationFailed"
    # short symptoms
    "access denied"
    "certificate expired"
    "connection timeout"
    "disk full"
    "deployment failed"
    "отказано в доступе"
    "служба не запускается"
    "истек сертификат"
    "нет подключения к базе"
    "превышена квота"
    # pasted descriptions
    "users cannot sign in from home since yesterday, the browser shows an error page and asks for multifactor authentication again"
    "the nightly backup job stopped working and the agent log says access is denied when it writes to the network share"
    "the web app returns 503 errors under load and restarting it helps only for a few minutes"
    "после переноса приложения в другую подписку каждое развертывание завершается ошибкой тайм-аута"
    "виртуальная машина не запускается после изменения размера, на снимке диагностики синий экран и диск заполнен"
    # typos
    "acess denid"
    "certifcate expird"
    "conection timout"
    "отказоно в доступе"
    "сертификт истёк"
)

# Percent-encodes one string for a URL query (UTF-8 bytes, RFC 3986 unreserved kept).
bench_urlencode() {
    local LC_ALL=C s="$1" out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in
            [a-zA-Z0-9.~_-]) out+="$c" ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

# Waits until GET $1 answers 200; prints the milliseconds since $2 (a
# `date +%s%N` taken before the server was started); fails after $3 s.
bench_wait_200() {
    local url="$1" start="$2" limit="${3:-120}" now
    while true; do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = "200" ]; then
            now=$(date +%s%N)
            echo $(((now - start) / 1000000))
            return 0
        fi
        now=$(date +%s%N)
        if (((now - start) / 1000000000 >= limit)); then
            return 1
        fi
        sleep 0.002
    done
}

# Memory of a process in MiB: "rss hwm anon file" (VmRSS, VmHWM, RssAnon,
# RssFile; RssFile is mostly the memory-mapped index, which the kernel can
# drop under pressure).
bench_rss() {
    awk '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
        END {printf "%.1f %.1f %.1f %.1f\n", r / 1024, h / 1024, a / 1024, f / 1024}' "/proc/$1/status"
}
