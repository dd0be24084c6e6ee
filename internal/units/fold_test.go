package units

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Sóc Sơn", "soc son"},
		{"SOC SON", "soc son"},
		{"sóc  sơn", "soc son"},
		{"  Sóc\tSơn \n", "soc son"},
		{"Hoà", "hoa"},
		{"Hòa", "hoa"},
		{"Thuỷ", "thuy"},
		{"Thủy", "thuy"},
		{"Đắk Lắk", "dak lak"},
		{"ĐỒNG THÁP", "dong thap"},
		{"Ðồng Nai", "dong nai"}, // Ð (eth) look-alike
		{"Xã Ea Kly", "xa ea kly"},
		{"B’Lao", "b'lao"},
		{"Thừa Thiên\u00a0Huế", "thua thien hue"},
		{"Hoa\u0300", "hoa"}, // decomposed input
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
