type Props = { amount: number; currency: string }

export default function PriceTag({ amount, currency }: Props) {
  return (
    <span className="price-tag">
      <b className="price-amount">{amount.toFixed(2)}</b> {currency} €
    </span>
  )
}
