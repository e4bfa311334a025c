module procusmeet/bench/loadgen

go 1.22
